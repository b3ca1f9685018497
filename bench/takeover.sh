#!/usr/bin/env bash
# What a sequencer takeover costs with checkpoints, against reading the partition bare and
# replaying it all, in one run on an embedded broker (one partition).
# Usage: bench/takeover.sh [entries] [datasets] [tail]   (defaults: 10000000 10 49999)
# Needs about 2 GB of disk in /tmp per 10 million entries; HEAP (default 3g) for the JVM.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -q -DskipTests install
cd sequencer
mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath > /dev/null
exec java "-Xmx${HEAP:-3g}" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.tributary.sequencer.TakeoverBenchmark "$@" 2>&1 | grep -E " ms$|Took over|Checkpoint of|Exception|Error"
