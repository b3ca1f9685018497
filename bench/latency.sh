#!/usr/bin/env bash
# Write-to-arrival latency through the whole path, next to a bare Kafka hop in the same run.
# Usage: bench/latency.sh [changes-per-second] [seconds]   (defaults: 200 30)
# Runs in its own JVM (not inside Maven, whose own threads would compete for the two cores).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -q -DskipTests install
cd server
mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath > /dev/null
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.tributary.server.bench.PathLatencyBenchmark "${1:-200}" "${2:-30}" 2>&1 | grep -E "ready|hop|path|Exception"
