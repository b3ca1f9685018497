#!/usr/bin/env bash
# Faults under load on a cluster of processes on loopback (a broker alone, two sequencers, two
# materializers with a standby each, two gateways) with 50 SDK clients writing counted changes:
# each role killed -9 and started again, the broker too, sequencers and materializers frozen
# (SIGSTOP) and thawed; after each fault, what was lost, applied twice or left divergent, and how
# long until every client had everything. Figures: docs/reliability.md.
# Usage: bench/faults.sh [kills per role] [broker kills] [freezes per role] [freeze seconds]
#        (defaults: 20 5 5 30; -Dfaults.seed=S through JAVA_TOOL_OPTIONS replays a run)
exec "$(dirname "${BASH_SOURCE[0]}")/java-main.sh" server "1g" io.tributary.server.FaultHarness \
  "fault|everything|^\||lost|twice|zombie|divergent|longest|audit|written|Exception|Error" "$@"
