#!/usr/bin/env bash
# What a sequencer takeover costs with checkpoints, against reading the partition bare and
# replaying it all, in one run on an embedded broker (one partition).
# Usage: bench/takeover.sh [entries] [datasets] [tail]   (defaults: 10000000 10 49999)
# Needs about 2 GB of disk in /tmp per 10 million entries; HEAP (default 3g) for the JVM.
exec "$(dirname "${BASH_SOURCE[0]}")/java-main.sh" sequencer "${HEAP:-3g}" io.tributary.sequencer.TakeoverBenchmark \
  " ms$|Took over|Checkpoint of|Exception|Error" "$@"
