#!/usr/bin/env bash
# The gateway's soak: one gateway process (launcher/target/gateway.jar) under SOAK_MINUTES of mixed traffic
# (chat streams and whole answers, tool calls, upstream errors with fallbacks, streams cut by the upstream,
# clients leaving mid-stream, Responses and Messages endpoints, OpenAI/Anthropic/Gemini channels) from
# gateway.bench.SoakMain, which also runs the fake upstream and samples the gateway's heap after a full GC, its
# file descriptors, sockets and threads. At the end: did they level off (last quarter's max against the second
# quarter's), was every answer whole or a clean error, is no client connection or upstream call left, and does
# the money add up in SQL (balance drop = usage costs = ledger charges, no hold left, a 'completed' usage row
# for every whole answer a client got and none for anything else but a late hang-up)? Exits non-zero if not. See bench/README.md ("Soak") for the knobs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

SOAK_MINUTES=${SOAK_MINUTES:-20}          # how long the traffic runs
CLIENTS=${CLIENTS:-16}                    # concurrent clients
PAUSE_MS=${PAUSE_MS:-20}                  # each client's pause between its answer and its next request
SAMPLE_SECONDS=${SAMPLE_SECONDS:-30}      # sampling interval (each sample forces a full GC in the gateway)
SEED=${SEED:-8}
CREDITS=${CREDITS:-100000}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-"-Xmx512m"}
DRIVER_JAVA_OPTS=${DRIVER_JAVA_OPTS:-"-Xms256m -Xmx768m"}
BENCH_DB=${BENCH_DB:-gw_soak}             # dedicated database when GATEWAY_PG_URL is set
REBUILD=${REBUILD:-0}
KEEP_TMP=${KEEP_TMP:-0}
OUT=${BENCH_OUT:-"$BENCH/out/soak-$(date +%Y%m%d-%H%M%S)"}

GATEWAY_JAR="$ROOT/launcher/target/gateway.jar"
DRIVER_JAR="$BENCH/target/fake-upstream.jar"

log() { printf '[soak %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

for tool in curl psql java; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH (psql: apt-get install postgresql-client)"
done

if [ "$REBUILD" = 1 ] || [ ! -f "$GATEWAY_JAR" ] || [ ! -f "$DRIVER_JAR" ]; then
  log "building the reactor (mvn -q -B -DskipTests package)"
  (cd "$ROOT" && mvn -q -B -DskipTests package) >&2
fi
[ -f "$GATEWAY_JAR" ] && [ -f "$DRIVER_JAR" ] || die "the jars are missing after the build"

TMP=$(mktemp -d /tmp/gw-soak.XXXXXX)
mkdir -p "$OUT"
GATEWAY_PID=""
DB_CREATED=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  if [ -n "$GATEWAY_PID" ] && kill -0 "$GATEWAY_PID" 2>/dev/null; then
    kill -TERM "$GATEWAY_PID"
    for _ in $(seq 300); do kill -0 "$GATEWAY_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$GATEWAY_PID" 2>/dev/null
    wait "$GATEWAY_PID" 2>/dev/null
  fi
  if [ -n "$DB_CREATED" ]; then
    psql -q -X "$GATEWAY_PG_URL" -c "DROP DATABASE IF EXISTS \"$DB_CREATED\" WITH (FORCE)" >/dev/null 2>&1 \
      || log "could not drop database $DB_CREATED: drop it by hand"
  fi
  [ -f "$TMP/gateway.log" ] && cp "$TMP/gateway.log" "$OUT/gateway.log"
  [ "$KEEP_TMP" = 1 ] && log "kept $TMP" || rm -rf "$TMP"
  [ $status -ne 0 ] && log "exit status $status; results and logs in $OUT"
  exit $status
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  die "no free port found"
}

GATEWAY_PORT=$(free_port)
ADMIN_TOKEN="soak-admin-$RANDOM$RANDOM$RANDOM"
GW_ENV=(GATEWAY_HTTP_PORT="$GATEWAY_PORT" GATEWAY_HTTP_HOST=127.0.0.1 GATEWAY_DATA_DIR="$TMP/data"
  GATEWAY_ADMIN_TOKEN="$ADMIN_TOKEN" GATEWAY_LOG_FORMAT=text)
PG_URL=""
if [ -n "${GATEWAY_PG_URL:-}" ]; then
  base=${GATEWAY_PG_URL%%\?*}
  hostpart=${base#*://}
  PG_URL="${base%%://*}://${hostpart%%/*}/$BENCH_DB"
  psql -q -X -v ON_ERROR_STOP=1 "$GATEWAY_PG_URL" -c "DROP DATABASE IF EXISTS \"$BENCH_DB\" WITH (FORCE)" >/dev/null
  psql -q -X -v ON_ERROR_STOP=1 "$GATEWAY_PG_URL" -c "CREATE DATABASE \"$BENCH_DB\"" >/dev/null
  DB_CREATED=$BENCH_DB
  GW_ENV+=(GATEWAY_PG_URL="$PG_URL")
  log "the machine's Postgres: fresh database $BENCH_DB"
fi
if [ -n "${GATEWAY_REDIS_URL:-}" ]; then
  GW_ENV+=(GATEWAY_REDIS_URL="$GATEWAY_REDIS_URL" GATEWAY_REDIS_PREFIX="soak-$RANDOM$RANDOM")
fi

log "starting the gateway on 127.0.0.1:$GATEWAY_PORT ($GATEWAY_JAVA_OPTS)"
# shellcheck disable=SC2086
env "${GW_ENV[@]}" java $GATEWAY_JAVA_OPTS -jar "$GATEWAY_JAR" >"$TMP/gateway.log" 2>&1 </dev/null &
GATEWAY_PID=$!
for _ in $(seq 1800); do
  curl -fsS -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/health/ready" 2>/dev/null && break
  kill -0 "$GATEWAY_PID" 2>/dev/null || { tail -n 40 "$TMP/gateway.log" >&2; die "the gateway exited"; }
  sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/health/ready" || die "the gateway was not ready within 180 s"
if [ -z "$PG_URL" ]; then
  pg_port=$(grep -o 'embedded Postgres on 127.0.0.1:[0-9]*' "$TMP/gateway.log" | head -n1 | sed 's/.*://')
  PG_URL="postgresql://postgres@127.0.0.1:$pg_port/postgres"
fi
log "gateway ready (pid $GATEWAY_PID, Postgres $PG_URL); $SOAK_MINUTES min of traffic from $CLIENTS clients"

driver_status=0
# shellcheck disable=SC2086
java $DRIVER_JAVA_OPTS -cp "$DRIVER_JAR" gateway.bench.SoakMain --gateway "http://127.0.0.1:$GATEWAY_PORT" \
  --admin-token "$ADMIN_TOKEN" --pid "$GATEWAY_PID" --out "$OUT" --minutes "$SOAK_MINUTES" --clients "$CLIENTS" \
  --pause-ms "$PAUSE_MS" --sample-seconds "$SAMPLE_SECONDS" --seed "$SEED" --credits "$CREDITS" \
  2>"$OUT/driver.log" | tee "$OUT/driver.out" >&2 || driver_status=$?
[ -s "$OUT/account.txt" ] || die "the driver wrote no account (status $driver_status); see $OUT/driver.log"
ACCOUNT=$(cat "$OUT/account.txt")

q() { psql -X -A -t -v ON_ERROR_STOP=1 "$PG_URL" -c "$1"; }
log "waiting for every hold to be settled or released"
for _ in $(seq 1200); do  # 120 s: settles are retried for ~45 s when billing is unreachable
  [ "$(q "SELECT count(*) FROM billing.holds")" = 0 ] && break
  sleep 0.1
done
TOPUP=$(q "SELECT COALESCE(SUM(amount_micros), 0) FROM billing.ledger WHERE kind = 'topup' AND account_id = $ACCOUNT")
BALANCE=$(q "SELECT balance_micros FROM billing.balances WHERE account_id = $ACCOUNT")
HELD=$(q "SELECT held_micros FROM billing.balances WHERE account_id = $ACCOUNT")
HOLDS=$(q "SELECT count(*) FROM billing.holds")
USAGE=$(q "SELECT COALESCE(SUM(cost_micros), 0) FROM billing.usage WHERE account_id = $ACCOUNT")
CHARGES=$(q "SELECT COALESCE(-SUM(amount_micros), 0) FROM billing.ledger WHERE kind = 'charge' AND account_id = $ACCOUNT")
COMPLETED=$(q "SELECT count(*) FROM billing.usage WHERE outcome = 'completed' AND account_id = $ACCOUNT")
read -r WHOLE HUNG <"$OUT/complete.txt"
DROP=$((TOPUP - BALANCE))
{
  echo "MONEY (account $ACCOUNT, micro-credits)"
  echo "  balance drop   $DROP"
  echo "  usage costs    $USAGE"
  echo "  ledger charges $CHARGES"
  echo "  held           $HELD ($HOLDS hold rows left)"
  echo "  whole answers the clients got $WHOLE (and $HUNG hang-ups), usage rows 'completed' $COMPLETED"
  echo "  usage rows by outcome:"
  q "SELECT outcome, count(*), SUM(cost_micros) FROM billing.usage WHERE account_id = $ACCOUNT GROUP BY outcome
     ORDER BY outcome" | sed 's/|/  /g; s/^/    /'
} | tee "$OUT/money.txt" >&2

money_ok=1
[ "$DROP" = "$USAGE" ] && [ "$USAGE" = "$CHARGES" ] && [ "$HELD" = 0 ] && [ "$HOLDS" = 0 ] && [ "$DROP" -gt 0 ] \
  && [ "$COMPLETED" -ge "$WHOLE" ] && [ "$COMPLETED" -le $((WHOLE + HUNG)) ] || money_ok=0
# A client that hangs up after the gateway wrote the whole stream got it all: 'completed' is right there too.
log "samples: $OUT/samples.tsv; levelling: $OUT/levelling.txt"
cat "$OUT/levelling.txt" >&2
[ "$money_ok" = 1 ] || die "money does not reconcile"
case $driver_status in
  0) log "OK: money exact, heap, descriptors, sockets and threads levelled off, every answer clean" ;;
  2) die "something kept growing (see levelling above)" ;;
  3) die "broken answers or connections left open (see $OUT/driver.out)" ;;
  *) die "the driver failed with status $driver_status (see $OUT/driver.log)" ;;
esac
