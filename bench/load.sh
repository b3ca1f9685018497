#!/usr/bin/env bash
# Open-loop load on ./sync-server (embedded broker, its own JVM), with the bare Kafka hop on the
# same broker as the baseline. Every figure goes to docs/benchmarks.md with this command.
# Usage: bench/load.sh [scenario ...]
#   scenarios: fanout fanout-500 idle idle-10k connects one-dataset ingest ingest-at overload
#   (default: fanout idle one-dataset ingest overload)
# Environment: WARMUP (5), SECONDS_MEASURED (20), FIRST_WARMUP (60: a search's first trial),
#   SERVER_OPTS (the server's JVM options), SERVER_ARGS (more server options, e.g.
#   "--change-events on"),
#   OVERLOAD_RATE (twice the one-dataset maximum), SKIP_BUILD=1 (use the build there),
#   BROKER=alone (the broker in a JVM of its own, its CPU and RSS counted as the server's).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=(fanout idle one-dataset ingest overload)
warmup="${WARMUP:-5}"
seconds="${SECONDS_MEASURED:-20}"
first_warmup="${FIRST_WARMUP:-60}"

[ "${SKIP_BUILD:-0}" = 1 ] || mvn -q -DskipTests install
(cd server && mvn -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath > /dev/null)
classpath="server/target/test-classes:server/target/classes:$(cat server/target/bench.classpath)"

data="$(mktemp -d)"
port=19999
admin_port=19980
server_pid=""
stop() {
  # "|| true": a killed process's wait fails, and under set -e that would end the cleanup early.
  for pid in $server_pid $broker_pid; do kill "$pid" 2> /dev/null && wait "$pid" 2> /dev/null || true; done
  rm -rf "$data"
}
trap stop EXIT

broker_pid=""
kafka=()
if [ "${BROKER:-embedded}" = alone ]; then # The broker in a JVM of its own, counted as the server.
  java -Xmx512m -cp "$classpath" io.tributary.server.bench.BrokerAlone "$data/broker" 0 \
    > "$data/broker.log" 2>&1 &
  broker_pid=$!
  until grep -q "broker alone on" "$data/broker.log" 2> /dev/null; do
    kill -0 "$broker_pid" 2> /dev/null || { cat "$data/broker.log"; exit 1; }
    sleep 0.1
  done
  kafka=(--kafka-bootstrap "$(awk '/broker alone on/ {print $NF}' "$data/broker.log")")
fi

# The admin port asks for a user: the driver reads /metrics as this one.
echo '{"adminAuth": {"username": "bench", "password": "bench-admin-password"}}' > "$data/bench.json"
# Every simulated client comes from 127.0.0.1: lift the quota of connections per address.
JAVA_OPTS="${SERVER_OPTS:--Xmx1g}" ./sync-server -c "$data/bench.json" --model examples/tasks/objectbox-model.json \
  "${kafka[@]}" --unsecured-no-authentication --db-directory "$data/db" --bind "ws://127.0.0.1:$port" \
  --admin-bind "127.0.0.1:$admin_port" --max-connections-per-address 100000 ${SERVER_ARGS:-} \
  > "$data/server.log" 2>&1 &
server_pid=$!
until grep -q "started in" "$data/server.log" 2> /dev/null; do
  kill -0 "$server_pid" 2> /dev/null || { cat "$data/server.log"; exit 1; }
  sleep 0.1
done
bootstrap="$(grep -o 'Embedded Kafka broker started on [0-9.:]*' "$data/server.log" | awk '{print $NF}' || true)"
[ -n "$broker_pid" ] && bootstrap="${kafka[1]}"
echo "server pid $server_pid, sync on :$port, broker on ${bootstrap:-?}"

driver() {
  java -Xmx1g -XX:+UseSerialGC -cp "$classpath" io.tributary.server.bench.LoadDriver \
    --url "ws://127.0.0.1:$port" --server-pid "$server_pid" ${broker_pid:+--broker-pid "$broker_pid"} \
    --metrics-url "http://bench:bench-admin-password@127.0.0.1:$admin_port/metrics" --warmup "$warmup" --seconds "$seconds" "$@"
}

for scenario in "${scenarios[@]}"; do
  echo "== $scenario"
  case "$scenario" in
    fanout)
      [ -n "$bootstrap" ] && java -cp "$classpath" io.tributary.server.bench.BareHop "$bootstrap" 1000 "$seconds" 2>&1 | grep "bare"
      driver --clients 1000 --datasets 100 --rate 1000 ;;
    fanout-500) # Below saturation on this machine: what a changeset costs, not queueing.
      [ -n "$bootstrap" ] && java -cp "$classpath" io.tributary.server.bench.BareHop "$bootstrap" 500 "$seconds" 2>&1 | grep "bare"
      driver --clients 1000 --datasets 100 --rate 500 ;;
    idle)
      driver --clients 0 --datasets 1 --idle --seconds "$seconds"
      driver --clients 1000 --datasets 100 --idle --seconds "$seconds" ;;
    idle-10k) # What a held session costs: RSS here; heap per session with jcmd GC.heap_info.
      driver --clients 10000 --datasets 100 --idle --seconds "$seconds" ;;
    connects) # 1,000 fresh clients connect and bind, five times: cold first, then warm.
      driver --clients 1000 --datasets 100 --connects 5 ;;
    one-dataset)
      driver --clients 100 --datasets 1 --rate 250 --search --first-warmup "$first_warmup" ;;
    ingest)
      driver --clients 200 --datasets 200 --rate 2000 --search --first-warmup "$first_warmup" ;;
    ingest-at) # One trial at INGEST_RATE (default 2000), to compare builds or settings.
      driver --clients 200 --datasets 200 --rate "${INGEST_RATE:-2000}" ;;
    overload) # The writers behave as the SDK: at most 32 changesets out each, the rest kept.
      driver --clients 100 --datasets 1 --rate "${OVERLOAD_RATE:-1500}" --window 32 ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
  esac
done
