#!/usr/bin/env bash
# Summarises a JFR recording's CPU samples (jdk.ExecutionSample): where the gateway's threads
# spent their time, by top frame (self), by gateway/vert.x/netty/jackson frame anywhere on the
# stack (total), and by thread. Usage: bench/jfr-top.sh recording.jfr [top N]
set -euo pipefail
JFR_FILE=${1:?usage: jfr-top.sh recording.jfr [N]}
TOP=${2:-30}
JFR_BIN=${JFR_BIN:-$(dirname "$(readlink -f "$(command -v java)")")/jfr}
[ -x "$JFR_BIN" ] || JFR_BIN=jfr
"$JFR_BIN" print --events jdk.ExecutionSample --stack-depth 64 "$JFR_FILE" | awk -v top="$TOP" '
  function frame(line) { sub(/^[ \t]+/, "", line); sub(/[ \t]+line:.*$/, "", line); return line }
  /^jdk.ExecutionSample/ { in_stack = 0; depth = 0; delete seen; next }
  /sampledThread = / { t = $0; sub(/.*sampledThread = "/, "", t); sub(/".*/, "", t); gsub(/[0-9]+$/, "N", t); threads[t]++; samples++; next }
  /stackTrace = \[/ { in_stack = 1; next }
  in_stack && /^[ \t]*\]/ { in_stack = 0; next }
  in_stack {
    f = frame($0)
    if (f == "...") next
    if (depth == 0) self[f]++
    depth++
    # inclusive counts for the interesting layers, once per sample
    if (f ~ /^(gateway\.|io\.vertx\.|io\.netty\.|com\.fasterxml\.|java\.util\.concurrent\.|sun\.nio\.|java\.security\.|sun\.security\.)/ && !(f in seen)) { seen[f] = 1; total[f]++ }
  }
  END {
    printf "%d CPU samples\n\nby thread:\n", samples
    for (k in threads) printf "%7d %5.1f%%  %s\n", threads[k], 100 * threads[k] / samples, k | "sort -rn"
    close("sort -rn")
    printf "\ntop %d frames (self):\n", top
    for (k in self) printf "%7d %5.1f%%  %s\n", self[k], 100 * self[k] / samples, k | ("sort -rn | head -n " top)
    close("sort -rn | head -n " top)
    printf "\ntop %d frames (total, gateway/vert.x/netty/jackson/JDK concurrency):\n", top
    for (k in total) printf "%7d %5.1f%%  %s\n", total[k], 100 * total[k] / samples, k | ("sort -rn | head -n " top)
    close("sort -rn | head -n " top)
  }'
