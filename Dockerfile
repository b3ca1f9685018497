# Builds the sync-server and runs any of its roles:
#   docker build -t tributary .
#   docker run tributary --model /data/objectbox-model.json --unsecured-no-authentication
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /opt/tributary
COPY --from=build /src/server/target/lib/ lib/
COPY --from=build /src/server/target/tributary-server-*.jar lib/
COPY --from=build /src/examples/ examples/
# The roles' data (materializer store, embedded broker) lives under /data.
VOLUME /data
WORKDIR /data
EXPOSE 9999 9980 9981
ENTRYPOINT ["java", "-cp", "/opt/tributary/lib/*", "io.tributary.server.Main"]
CMD ["--help"]
