#!/usr/bin/env bash
# The integration paths next to the sync path, in one run: client -> client (baseline),
# client -> PostgreSQL row through Kafka Connect and Debezium's JDBC sink, backend write -> client,
# and the rate change events leave at against the rate the store applies a burst.
# Usage: bench/integration.sh [samples]   (default 200; needs PostgreSQL: apt-get install postgresql)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -q -DskipTests install
cd server
mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath > /dev/null
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.tributary.server.IntegrationBenchmark "${1:-200}" 2>&1 | grep -E "baseline|PostgreSQL|backend|burst|Exception"
