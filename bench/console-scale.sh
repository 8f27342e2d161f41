#!/usr/bin/env bash
# The consoles at scale: starts the gateway on a fresh database of the machine's Postgres, makes an
# account with an owner who signs in and an operator, seeds KEYS keys and USAGE_ROWS usage rows
# straight into auth.api_keys and billing.usage (generate_series), then times each API call the
# dashboard's and the console's pages make (curl's time_total, median of RUNS) and prints a table.
# See bench/README.md ("Consoles at scale").
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

KEYS=${KEYS:-100000}                 # keys of the signed-in owner's account
USAGE_ROWS=${USAGE_ROWS:-1000000}    # usage rows of that account, over the last DAYS days
DAYS=${DAYS:-30}
ACCOUNTS=${ACCOUNTS:-10000}          # other accounts (for the operator's search)
RUNS=${RUNS:-5}                      # timings per call; the table shows the median
BENCH_DB=${BENCH_DB:-gw_console_scale}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-"-Xmx512m"}
OUT=${BENCH_OUT:-"$BENCH/out/console-scale-$(date +%Y%m%d-%H%M%S)"}
GATEWAY_JAR="$ROOT/launcher/target/gateway.jar"
PASSWORD="bench console password 1"

log() { printf '[console-scale %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

[ -n "${GATEWAY_PG_URL:-}" ] || die "set GATEWAY_PG_URL (the database is created next to its database and dropped at exit)"
for tool in psql curl jq java; do command -v $tool >/dev/null || die "$tool is not on PATH"; done
if [ ! -f "$GATEWAY_JAR" ]; then
  log "building (mvn -q -B -o -DskipTests package)"
  (cd "$ROOT" && mvn -q -B -o -DskipTests package) >&2
fi

# ---------------------------------------------------------------- processes and cleanup
TMP=$(mktemp -d /tmp/gw-console-scale.XXXXXX)
mkdir -p "$OUT"
GATEWAY_PID=""
DB_CREATED=0
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  if [ -n "$GATEWAY_PID" ] && kill -0 "$GATEWAY_PID" 2>/dev/null; then
    kill -TERM "$GATEWAY_PID"
    for _ in $(seq 150); do kill -0 "$GATEWAY_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$GATEWAY_PID" 2>/dev/null
    wait "$GATEWAY_PID" 2>/dev/null
  fi
  if [ "$DB_CREATED" = 1 ]; then
    psql -q -X "$GATEWAY_PG_URL" -c "DROP DATABASE IF EXISTS \"$BENCH_DB\" WITH (FORCE)" >/dev/null 2>&1 \
      && log "dropped database $BENCH_DB" || log "could not drop database $BENCH_DB: drop it by hand"
  fi
  [ -f "$TMP/gateway.log" ] && cp "$TMP/gateway.log" "$OUT/"
  rm -rf "$TMP"
  [ $status -ne 0 ] && log "exit status $status; logs in $OUT"
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

# ---------------------------------------------------------------- database and gateway
base=${GATEWAY_PG_URL%%\?*}
query=""; [ "$base" != "$GATEWAY_PG_URL" ] && query="?${GATEWAY_PG_URL#*\?}"
hostpart=${base#*://}
if [[ "$hostpart" == */* ]]; then prefix="${base%%://*}://${hostpart%%/*}"; else prefix=$base; fi
PG_URL="$prefix/$BENCH_DB$query"
PGOPTIONS='-c client_min_messages=warning' psql -q -X -v ON_ERROR_STOP=1 "$GATEWAY_PG_URL" \
  -c "DROP DATABASE IF EXISTS \"$BENCH_DB\" WITH (FORCE)" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 "$GATEWAY_PG_URL" -c "CREATE DATABASE \"$BENCH_DB\"" >/dev/null
DB_CREATED=1
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$PG_URL" "$@"; }

PORT=$(free_port)
ADMIN_TOKEN="scale-admin-$RANDOM$RANDOM$RANDOM"
cat >"$TMP/catalog.yaml" <<EOF
channels:
  - {name: chan-a, type: openai, base_url: http://127.0.0.1:9/v1, api_key: unused}
  - {name: chan-b, type: openai, base_url: http://127.0.0.1:9/v1, api_key: unused}
models:
$(for m in 1 2 3 4 5; do echo "  - {alias: model-$m, type: llm, price: {input_per_mtok: 15, output_per_mtok: 60}, routes: [{channel: chan-a, model: m$m}]}"; done)
EOF
mkdir -p "$TMP/data"
log "starting the gateway on 127.0.0.1:$PORT (database $BENCH_DB)"
# shellcheck disable=SC2086
env GATEWAY_HTTP_PORT="$PORT" GATEWAY_HTTP_HOST=127.0.0.1 GATEWAY_DATA_DIR="$TMP/data" \
  GATEWAY_ADMIN_TOKEN="$ADMIN_TOKEN" GATEWAY_CATALOG="$TMP/catalog.yaml" GATEWAY_PG_URL="$PG_URL" \
  ${GATEWAY_REDIS_URL:+GATEWAY_REDIS_URL="$GATEWAY_REDIS_URL"} GATEWAY_METRICS_PORT="$(free_port)" \
  java $GATEWAY_JAVA_OPTS -jar "$GATEWAY_JAR" >"$TMP/gateway.log" 2>&1 </dev/null &
GATEWAY_PID=$!
for _ in $(seq 1800); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/ready" 2>/dev/null && break
  kill -0 "$GATEWAY_PID" 2>/dev/null || { tail -n 40 "$TMP/gateway.log" >&2; die "the gateway exited"; }
  sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/ready" || die "the gateway was not ready within 180 s"
BASE="http://127.0.0.1:$PORT"

admin() {  # method path [json]
  local args=(-fsS -X "$1" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json')
  [ $# -ge 3 ] && args+=(-d "$3")
  curl "${args[@]}" "$BASE/admin$2"
}

# ---------------------------------------------------------------- account, owner, operator
ACCOUNT_ID=$(admin POST /accounts '{"name":"scale-owner-account"}' | jq -er .id) || die "could not create the account"
admin POST "/accounts/$ACCOUNT_ID/credits" '{"amount_credits": 1000000, "note": "bench"}' >/dev/null
JAR="$TMP/cookies"
accept() {  # email role [account_id]: invites, accepts with PASSWORD into cookie jar $JAR
  local body="{\"email\":\"$1\",\"role\":\"$2\",\"display_name\":\"$1\"${3:+,\"account_id\":$3}}"
  local token; token=$(admin POST /users "$body" | jq -er .invitation.token) || die "could not invite $1"
  curl -fsS -c "$JAR" -b "$JAR" -o /dev/null "$BASE/api/csrf"
  local xsrf; xsrf=$(awk '$6 == "XSRF-TOKEN" {print $7}' "$JAR")
  curl -fsS -c "$JAR" -b "$JAR" -o /dev/null -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' \
    -d "{\"token\":\"$token\",\"password\":\"$PASSWORD\"}" "$BASE/api/invitations/accept" || die "$1 could not accept"
}
accept operator@scale.example admin
JAR="$TMP/owner-cookies"
accept owner@scale.example owner "$ACCOUNT_ID"
OWNER_ID=$(curl -fsS -b "$JAR" "$BASE/api/me" | jq -er .user.id) || die "the owner is not signed in"
log "account $ACCOUNT_ID, owner user $OWNER_ID signed in, operator invited and accepted"

# ---------------------------------------------------------------- seed
log "seeding $ACCOUNTS accounts, $KEYS keys, $USAGE_ROWS usage rows"
seed_start=$(date +%s)
sql <<EOF
INSERT INTO auth.accounts (name, created_at)
  SELECT 'customer-' || g || CASE WHEN g % 100 = 0 THEN ' acme' ELSE '' END, now() - g * interval '1 minute'
  FROM generate_series(1, $ACCOUNTS) g;
-- keys nobody calls with: unique hashes of nothing in particular
INSERT INTO auth.api_keys (account_id, user_id, name, key_hash, key_prefix, models, created_at)
  SELECT $ACCOUNT_ID, $OWNER_ID, 'key-' || g, sha256(('scale-key-' || g)::bytea), 'sk-' || lpad(g::text, 6, '0'),
         ARRAY['model-' || (1 + g % 5)], now() - g * interval '10 seconds'
  FROM generate_series(1, $KEYS) g;
INSERT INTO billing.usage (request_id, account_id, key_id, model, channel, input_tokens, cache_read_tokens,
    output_tokens, cost_micros, priced_micros, outcome, latency_ms, created_at)
  SELECT 'req_scale_' || g, $ACCOUNT_ID, k.first + (g::bigint * 7919) % $KEYS, 'model-' || (1 + g % 5),
         CASE WHEN g % 3 = 0 THEN 'chan-b' ELSE 'chan-a' END, 100 + g % 900, g % 50, 10 + g % 300,
         CASE WHEN g % 20 = 0 THEN 0 ELSE 1000 + g % 5000 END, 1000 + g % 5000,
         CASE WHEN g % 20 = 0 THEN 'failed' ELSE 'completed' END, 50 + g % 2000,
         now() - ($DAYS * 86400.0 * g / $USAGE_ROWS) * interval '1 second'
  FROM generate_series(1, $USAGE_ROWS) g,
       (SELECT min(id) AS first FROM auth.api_keys WHERE account_id = $ACCOUNT_ID AND name LIKE 'key-%') k;
ANALYZE auth.accounts; ANALYZE auth.api_keys; ANALYZE billing.usage;
EOF
log "seeded in $(( $(date +%s) - seed_start )) s: $(sql -c "SELECT count(*) FROM auth.api_keys") keys, $(sql -c "SELECT count(*) FROM billing.usage") usage rows"

# a cursor half-way down the account's rows, as the page would hold after many "next" clicks
read -r deep_micros deep_id <<<"$(sql -F ' ' -c "SELECT (extract(epoch FROM created_at) * 1000000)::bigint, request_id
  FROM billing.usage WHERE account_id = $ACCOUNT_ID ORDER BY created_at DESC, request_id DESC OFFSET $((USAGE_ROWS / 2)) LIMIT 1")"
DEEP_CURSOR=$(printf '%s' "$deep_micros:$deep_id" | base64 -w0 | tr '+/' '-_' | tr -d '=')
DEEP_KEY=$(sql -c "SELECT min(id) + $((KEYS / 2)) FROM auth.api_keys WHERE account_id = $ACCOUNT_ID")
FIRST_KEY=$(sql -c "SELECT min(id) FROM auth.api_keys WHERE account_id = $ACCOUNT_ID")
FROM7=$(date -u -d '7 days ago' +%Y-%m-%dT%H:%M:%SZ)

# ---------------------------------------------------------------- timing
RAW="$OUT/raw.tsv"
printf 'call\tstatus\tbytes\tseconds\n' >"$RAW"
median() { sort -n | awk '{a[NR] = $1} END {print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
TABLE="$OUT/summary.txt"
: >"$TABLE.rows"
time_call() {  # label who(owner|admin) path
  local label=$1 who=$2 path=$3 auth=() i line status bytes times=()
  if [ "$who" = owner ]; then auth=(-b "$TMP/owner-cookies"); else auth=(-H "Authorization: Bearer $ADMIN_TOKEN"); fi
  for i in $(seq "$RUNS"); do
    line=$(curl -sS -o "$TMP/body" -w '%{http_code} %{size_download} %{time_total}' "${auth[@]}" "$BASE$path")
    read -r status bytes secs <<<"$line"
    printf '%s\t%s\t%s\t%s\n' "$label" "$status" "$bytes" "$secs" >>"$RAW"
    times+=("$secs")
  done
  [ "$status" = 200 ] || log "WARNING: $label answered $status: $(head -c 300 "$TMP/body")"
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$path" "$status" "$bytes" \
    "$(printf '%s\n' "${times[@]}" | median | awk '{printf "%.1f", $1 * 1000}')" >>"$TABLE.rows"
}
hwm() { awk '/VmHWM/ {print $2}' "/proc/$GATEWAY_PID/status"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$GATEWAY_PID/status"; }

log "timing ($RUNS runs per call)"
time_call "keys: first page" owner "/api/keys?limit=50"
time_call "keys: a page deep (before_id)" owner "/api/keys?limit=50&before_id=$DEEP_KEY"
time_call "keys: search by name, many matches (q=key-9)" owner "/api/keys?limit=50&q=key-9"
time_call "keys: search by name, one match (q=key-99999)" owner "/api/keys?limit=50&q=key-99999"
time_call "keys: search, no match (q=nothing)" owner "/api/keys?limit=50&q=nothing"
time_call "usage: first page" owner "/api/usage?limit=50"
time_call "usage: page half-way down (cursor)" owner "/api/usage?limit=50&cursor=$DEEP_CURSOR"
time_call "usage: filtered by key" owner "/api/usage?limit=50&key_id=$FIRST_KEY"
time_call "usage: filtered by model" owner "/api/usage?limit=50&model=model-3"
time_call "usage: filtered by outcome" owner "/api/usage?limit=50&outcome=failed"
for g in day model key; do time_call "usage totals by $g (all rows)" owner "/api/usage/totals?group_by=$g"; done
time_call "usage totals by day (7 days)" owner "/api/usage/totals?group_by=day&from=$FROM7"
HWM_BEFORE=$(hwm); RSS_BEFORE=$(rss)
time_call "usage CSV export (all rows)" owner "/api/usage/export.csv"
HWM_AFTER=$(hwm); RSS_AFTER=$(rss)
CSV_BYTES=$(awk -F '\t' '$1 == "usage CSV export (all rows)" {print $3; exit}' "$RAW")
time_call "admin: accounts?q=acme" admin "/admin/accounts?q=acme"
time_call "admin: accounts?q=customer-9999" admin "/admin/accounts?q=customer-9999"
for g in day model channel account; do time_call "admin: revenue by $g" admin "/admin/reports/revenue?group_by=$g"; done
time_call "admin: reports/channels" admin "/admin/reports/channels"
time_call "admin: usage (first page)" admin "/admin/usage?limit=50"
time_call "admin: usage of the account" admin "/admin/usage?account_id=$ACCOUNT_ID&limit=50"

{
  echo "Consoles at $KEYS keys and $USAGE_ROWS usage rows (one account, $DAYS days; $ACCOUNTS other accounts), $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores"
  echo "median of $RUNS curl time_total per call, gateway and Postgres on this machine"
  echo
  awk -F '\t' 'BEGIN {printf "%-38s %6s %12s %10s\n", "call", "status", "bytes", "median ms"}
    {printf "%-38s %6s %12s %10s\n", $1, $3, $4, $5}' "$TABLE.rows"
  echo
  echo "CSV export: $CSV_BYTES bytes; gateway peak RSS (VmHWM) before/after the exports: $((HWM_BEFORE / 1024)) / $((HWM_AFTER / 1024)) MiB; RSS $((RSS_BEFORE / 1024)) / $((RSS_AFTER / 1024)) MiB (heap capped by $GATEWAY_JAVA_OPTS)"
  echo
  echo "paths:"
  awk -F '\t' '{printf "  %-38s %s\n", $1, $2}' "$TABLE.rows"
} >"$TABLE"
cat "$TABLE"
log "results in $OUT"
