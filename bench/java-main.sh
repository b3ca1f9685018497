#!/usr/bin/env bash
# What the benchmark scripts share: install the tree, then run a benchmark's main class in a JVM of
# its own (not inside Maven, whose own threads would compete for the two cores), with its module's
# test class path, keeping the lines that match a pattern.
# Usage: bench/java-main.sh <module> <heap> <main class> <lines to keep (grep -E)> [args...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$1" heap="$2" main="$3" keep="$4"
shift 4
cd "$here"
mvn -q -DskipTests install
cd "$module"
mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath > /dev/null
exec java "-Xmx$heap" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  "$main" "$@" 2>&1 | grep -E "$keep"
