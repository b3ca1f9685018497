#!/usr/bin/env bash
# Recovery from kill -9 of the all-in-one server, as its clients see it: kill to "Sync listening",
# then until every client holds what every other wrote while it was down, and that nothing was lost.
# Usage: bench/recovery.sh [clients] [rounds]   (defaults: 20 3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -q -DskipTests install
cd server
mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath > /dev/null
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.tributary.server.RecoveryBenchmark "$@" 2>&1 | grep -E "round|nothing lost|Exception"
