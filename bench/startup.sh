#!/usr/bin/env bash
# Time from launching ./sync-server to its "Sync listening" log line, on a fresh data directory
# and on a restart with existing data. Run after `mvn -q -DskipTests package`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(mktemp -d)"
port="${PORT:-19999}"
trap 'rm -rf "$data"' EXIT

measure() {
  local log="$data/run.log"
  local start end
  start=$(date +%s%N)
  "$here/sync-server" --model "$here/examples/tasks/objectbox-model.json" \
    --unsecured-no-authentication --db-directory "$data/db" --bind "ws://127.0.0.1:$port" > "$log" 2>&1 &
  local pid=$!
  until grep -q "Sync listening" "$log"; do
    if ! kill -0 "$pid" 2> /dev/null; then cat "$log"; exit 1; fi
    sleep 0.05
  done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" || true
  echo "$1: $(( (end - start) / 1000000 )) ms to listening"
}

measure "fresh data directory"
measure "restart with data"
measure "restart with data"
