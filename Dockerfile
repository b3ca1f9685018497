# Builds the sync-server and runs any of its roles:
#   docker build -t tributary .
#   docker run tributary --model /data/objectbox-model.json --unsecured-no-authentication
# Its "connect" stage is Kafka Connect with Debezium's JDBC sink (compose.integration.yaml).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

# Kafka Connect with Debezium's JDBC sink, for compose.integration.yaml (docker build --target connect).
FROM maven:3.9-eclipse-temurin-17 AS connect-plugins
RUN mvn -B -q dependency:unpack \
      -Dartifact=io.debezium:debezium-connector-jdbc:3.5.0.Final:tar.gz:plugin \
      -DoutputDirectory=/opt/connect-plugins

FROM apache/kafka:4.1.1 AS connect
COPY --from=connect-plugins /opt/connect-plugins/ /opt/connect-plugins/
COPY examples/integration/connect/ /opt/connect/

# The server, the default target: the last stage.
FROM eclipse-temurin:17-jre
WORKDIR /opt/tributary
COPY --from=build /src/server/target/lib/ lib/
COPY --from=build /src/server/target/tributary-server-*.jar lib/
COPY --from=build /src/examples/ examples/
# The roles' data (materializer store, embedded broker) lives under /data.
VOLUME /data
WORKDIR /data
EXPOSE 9999 9980 9981 9982
ENTRYPOINT ["java", "-cp", "/opt/tributary/lib/*", "io.tributary.server.Main"]
CMD ["--help"]
