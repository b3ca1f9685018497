#!/usr/bin/env bash
# Catch-up of a client far behind and STATE bootstrap of a large dataset, each next to a baseline.
# Usage: bench/transfer.sh [changesets] [objects]   (defaults: 100000 1000000)
exec "$(dirname "${BASH_SOURCE[0]}")/java-main.sh" server "3g" io.tributary.server.bench.TransferBenchmark \
  "Wrote|Bare|Catch-up|Raw|STATE|Exception" "${1:-100000}" "${2:-1000000}"
