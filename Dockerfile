# Builds the sync-server and runs any of its roles:
#   docker build -t tributary .
#   docker run tributary --model /data/objectbox-model.json --unsecured-no-authentication
# Its "connect" stage is Kafka Connect with Debezium's JDBC sink (compose.integration.yaml).
# Base images are pinned to exact versions; bump them on purpose, not by a rebuild.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
# The poms (and the Avro schemas, which the build generates code from) first: a build of them
# alone resolves every dependency and plugin in a layer of its own, which a change to the code
# leaves cached (only a change to a pom or a schema resolves them again).
COPY pom.xml ./
COPY core/pom.xml core/
COPY schemas/pom.xml schemas/
COPY kafka/pom.xml kafka/
COPY broker/pom.xml broker/
COPY client/pom.xml client/
COPY testkit/pom.xml testkit/
COPY sequencer/pom.xml sequencer/
COPY materializer/pom.xml materializer/
COPY gateway/pom.xml gateway/
COPY server/pom.xml server/
COPY examples/tasks/pom.xml examples/tasks/
COPY compat/pom.xml compat/
COPY benchmarks/pom.xml benchmarks/
COPY schemas/src/main/avro/ schemas/src/main/avro/
RUN mvn -B -q -DskipTests package
COPY . .
RUN mvn -B -q -DskipTests package

# Kafka Connect with Debezium's JDBC sink, for compose.integration.yaml (docker build --target connect).
FROM maven:3.9.9-eclipse-temurin-17 AS connect-plugins
RUN mvn -B -q dependency:unpack \
      -Dartifact=io.debezium:debezium-connector-jdbc:3.5.0.Final:tar.gz:plugin \
      -DoutputDirectory=/opt/connect-plugins

FROM apache/kafka:4.1.1 AS connect
COPY --from=connect-plugins /opt/connect-plugins/ /opt/connect-plugins/
COPY examples/integration/connect/ /opt/connect/

# The server, the default target: the last stage.
FROM eclipse-temurin:17.0.13_11-jre-jammy
# A user of its own: nothing in the container runs as root.
RUN groupadd --system --gid 10001 tributary \
 && useradd --system --uid 10001 --gid tributary --home-dir /data --no-create-home tributary \
 && mkdir -p /data \
 && chown tributary:tributary /data
WORKDIR /opt/tributary
COPY --from=build /src/server/target/lib/ lib/
COPY --from=build /src/server/target/tributary-server-*.jar lib/
COPY --from=build /src/examples/ examples/
COPY deploy/healthcheck bin/healthcheck
# Class data sharing (as ./sync-server does): a training start, stopped once ready, archives the
# classes a start loads, and every start of the image maps them instead (about 2 s faster).
RUN java -XX:ArchiveClassesAtExit=/opt/tributary/sync-server.jsa -Xlog:cds=off \
      -cp "/opt/tributary/lib/*" io.tributary.server.Main \
      --model /opt/tributary/examples/tasks/objectbox-model.json --unsecured-no-authentication \
      --db-directory /tmp/training > /tmp/training.log 2>&1 & \
    pid=$!; \
    for _ in $(seq 1 180); do /opt/tributary/bin/healthcheck 2> /dev/null && break; sleep 1; done; \
    kill "$pid"; wait "$pid"; \
    test -s /opt/tributary/sync-server.jsa || { cat /tmp/training.log; exit 1; }; \
    rm -rf /tmp/training /tmp/training.log
# The roles' data (materializer store, embedded broker) lives under /data.
VOLUME /data
WORKDIR /data
USER tributary
EXPOSE 9999 9980 9981 9982
# Ready once every part of the role has started (the admin port's /health/ready, see
# deploy/healthcheck); a first start may replay history, hence the grace period.
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
  CMD ["/opt/tributary/bin/healthcheck"]
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/tributary/sync-server.jsa", \
  "-cp", "/opt/tributary/lib/*", "io.tributary.server.Main"]
CMD ["--help"]
