#!/usr/bin/env bash
# The integration paths next to the sync path, in one run: client -> client (baseline),
# client -> PostgreSQL row through Kafka Connect and Debezium's JDBC sink, backend write -> client,
# and the rate change events leave at against the rate the store applies a burst.
# Usage: bench/integration.sh [samples]   (default 200; needs PostgreSQL: apt-get install postgresql)
exec "$(dirname "${BASH_SOURCE[0]}")/java-main.sh" server "1g" io.tributary.server.IntegrationBenchmark \
  "baseline|PostgreSQL|backend|burst|Exception" "${1:-200}"
