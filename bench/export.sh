#!/usr/bin/env bash
# Time travel from history: a dataset of [changesets] changesets (default 1,000,000) rebuilt at its
# last version and at half of it from history alone, against a bare read of its partition.
# Usage: bench/export.sh [changesets]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -q -DskipTests install
cd server
mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath > /dev/null
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.tributary.server.ExportBenchmark "$@" 2>&1 | grep -E " ms$|Exception"
