#!/usr/bin/env bash
# Time travel from history: a dataset of [changesets] changesets (default 1,000,000) rebuilt at its
# last version and at half of it from history alone, against a bare read of its partition.
# Usage: bench/export.sh [changesets]
exec "$(dirname "${BASH_SOURCE[0]}")/java-main.sh" server "1g" io.tributary.server.ExportBenchmark \
  " ms$|Exception" "$@"
