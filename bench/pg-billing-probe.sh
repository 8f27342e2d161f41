#!/usr/bin/env bash
# The billing ledger's own ceiling, without the gateway: pgbench runs the gateway's real RESERVE
# and SETTLE statements (read from BillingSql.java, so they never drift) as the gateway does —
# two autocommit statements per request — against a fresh database migrated with the billing
# schema. It reports requests/s and per-statement latency for: one client at a low fixed rate
# (unloaded), CONNECTIONS clients on ONE hot account, and on ACCOUNTS accounts; each with
# synchronous_commit on (a default server) and off (what the embedded Postgres runs with).
#
#   GATEWAY_PG_URL=postgresql://postgres@127.0.0.1:5432/test bench/pg-billing-probe.sh
#
# Creates database PROBE_DB (default gw_bench_probe) next to the URL's database; drops it on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_URL=${GATEWAY_PG_URL:?set GATEWAY_PG_URL to a Postgres server (its database is only used to create the probe database)}
PROBE_DB=${PROBE_DB:-gw_bench_probe}
DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-16}
ACCOUNTS=${ACCOUNTS:-64}
UNLOADED_RATE=${UNLOADED_RATE:-200}
SQL_SOURCE="$ROOT/billing-verticle/src/main/java/gateway/billing/BillingSql.java"
MIGRATIONS="$ROOT/billing-verticle/src/main/resources/db/billing"

log() { printf '[pg-probe %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
command -v pgbench >/dev/null || die "pgbench is missing (on Debian it comes with the server package, postgresql-15)"

base=${PG_URL%%\?*}
hostpart=${base#*://}
if [[ "$hostpart" == */* ]]; then prefix="${base%%://*}://${hostpart%%/*}"; else prefix=$base; fi
DB_URL="$prefix/$PROBE_DB"
TMP=$(mktemp -d /tmp/gw-pg-probe.XXXXXX)
created=""
cleanup() {
  local status=$?
  set +e
  [ -n "$created" ] && PGOPTIONS='-c client_min_messages=warning' psql -q -X "$PG_URL" \
    -c "DROP DATABASE IF EXISTS \"$PROBE_DB\" WITH (FORCE)" >/dev/null
  rm -rf "$TMP"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PGOPTIONS='-c client_min_messages=warning' psql -q -X -v ON_ERROR_STOP=1 "$PG_URL" \
  -c "DROP DATABASE IF EXISTS \"$PROBE_DB\" WITH (FORCE)" -c "CREATE DATABASE \"$PROBE_DB\"" >/dev/null
created=1
{
  echo "CREATE SCHEMA billing;"
  cat "$MIGRATIONS"/V*.sql
  echo "INSERT INTO billing.balances (account_id, balance_micros) SELECT g, 1000000000000000 FROM generate_series(1, $ACCOUNTS) g;"
} | psql -q -X -v ON_ERROR_STOP=1 "$DB_URL" >/dev/null

# A Java text block `static final String NAME = """ ... """;` as plain SQL.
statement() {
  awk -v name="$1" '
    $0 ~ "static final String " name " = \"\"\"" { on = 1; next }
    on && /"""/ { sub(/""".*/, ""); if ($0 ~ /[^ ]/) print; exit }
    on { print }' "$SQL_SOURCE"
}
# $n placeholders -> pgbench variables and the bench's fixed values (usage 20 + 10 tokens costing
# 900 µcr), longest first so $11 is not read as $1 followed by 1. $4 differs: the hold's amount in
# RESERVE, the model in SETTLE (the argument).
bind() {
  sed -E 's/\$15/NULL::text/g; s/\$14/1/g; s/\$13/5/g; s/\$12/'"'"'completed'"'"'/g; s/\$11/900/g;
          s/\$10/0/g; s/\$9/10/g; s/\$8/0/g; s/\$7/0/g; s/\$6/20/g; s/\$5/'"'"'bench-fake'"'"'/g;
          s/\$4/'"$1"'/g; s/\$3/(:acct)::bigint/g; s/\$2/(:acct)::bigint/g; s/\$1/('"'"'req_'"'"' || (:rid)::text)/g'
}
reserve=$(statement RESERVE)
settle=$(statement SETTLE)
[ -n "$reserve" ] && [ -n "$settle" ] || die "could not read RESERVE and SETTLE from $SQL_SOURCE"
{
  echo "\\set acct random(1, :accounts)"
  echo "\\set rid random(1, 9000000000000000000)"
  # one request: its hold (the gateway's maximum cost for this request: 3960 µcr), then its settle
  echo "$reserve" | bind "3960::bigint" | tr '\n' ' '; echo ";"
  echo "$settle" | bind "'bench-model'" | tr '\n' ' '; echo ";"
} >"$TMP/request.sql"

run() {  # label accounts clients sync(on|off) [rate]
  local label=$1 accounts=$2 clients=$3 sync=$4 rate=${5:-}
  local args=(-n -M prepared -r -f "$TMP/request.sql" -D "accounts=$accounts" -c "$clients" -j 1 -T "$DURATION")
  [ -n "$rate" ] && args+=(-R "$rate")
  local out
  out=$(PGOPTIONS="-c synchronous_commit=$sync" pgbench "${args[@]}" "$DB_URL" 2>&1) || { echo "$out" >&2; die "pgbench failed"; }
  local tps lat stmt
  tps=$(grep -o 'tps = [0-9.]*' <<<"$out" | head -n1 | cut -d' ' -f3)
  lat=$(grep -o 'latency average = [0-9.]* ms' <<<"$out" | cut -d' ' -f4)
  stmt=$(awk '/statement latencies/ { on = 1; next } on && /WITH/ { printf "%s%s", sep, $1; sep = " / " }' <<<"$out")
  printf '  %-34s %-4s %9.0f req/s   request %7s ms   reserve / settle %s ms\n' "$label" "$sync" "$tps" "$lat" "$stmt"
}

log "database $PROBE_DB: billing schema, $ACCOUNTS accounts; ${DURATION}s per line"
echo "Billing SQL alone (RESERVE + SETTLE per request, autocommit), pgbench on $(psql -X -At "$DB_URL" -c 'SHOW server_version')"
for sync in on off; do
  run "unloaded: 1 client, $UNLOADED_RATE req/s" 1 1 "$sync" "$UNLOADED_RATE"
  run "1 hot account, $CONNECTIONS clients" 1 "$CONNECTIONS" "$sync"
  run "$ACCOUNTS accounts, $CONNECTIONS clients" "$ACCOUNTS" "$CONNECTIONS" "$sync"
done
