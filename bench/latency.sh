#!/usr/bin/env bash
# Write-to-arrival latency through the whole path, next to a bare Kafka hop in the same run.
# Usage: bench/latency.sh [changes-per-second] [seconds]   (defaults: 200 30)
exec "$(dirname "${BASH_SOURCE[0]}")/java-main.sh" server "1g" io.tributary.server.bench.PathLatencyBenchmark \
  "ready|hop|path|Exception" "${1:-200}" "${2:-30}"
