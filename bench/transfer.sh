#!/usr/bin/env bash
# Catch-up of a client far behind and STATE bootstrap of a large dataset, each next to a baseline.
# Usage: bench/transfer.sh [changesets] [objects]   (defaults: 100000 1000000)
# Runs in its own JVM (not inside Maven, whose own threads would compete for the two cores).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -q -DskipTests install
cd server
mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath > /dev/null
exec java -Xmx3g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.tributary.server.bench.TransferBenchmark "${1:-100000}" "${2:-1000000}" 2>&1 | grep -E "Wrote|Bare|Catch-up|Raw|STATE|Exception"
