#!/usr/bin/env bash
# Recovery from kill -9 of the all-in-one server, as its clients see it: kill to "Sync listening",
# then until every client holds what every other wrote while it was down, and that nothing was lost.
# Usage: bench/recovery.sh [clients] [rounds]   (defaults: 20 3)
exec "$(dirname "${BASH_SOURCE[0]}")/java-main.sh" server "1g" io.tributary.server.RecoveryBenchmark \
  "clean restart|round|nothing lost|Exception" "$@"
