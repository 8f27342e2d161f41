#!/usr/bin/env bash
# The gateway's load benchmark. Starts a fast fake upstream, nginx as a plain reverse proxy in
# front of it (the floor for any proxy) and the gateway (auth + billing on, its catalog pointing
# at the fake), then drives all three with wrk, targets interleaved round by round so machine
# noise hits them alike, and prints req/s, p50/p99 and what the gateway adds, loaded and
# unloaded, non-stream and stream. Finally checks the money: the account's balance drop must
# equal the sum of the usage rows' costs. See bench/README.md for the knobs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"

DURATION=${DURATION:-8}                   # seconds per loaded round and target
CONNECTIONS=${CONNECTIONS:-16}            # wrk connections while loaded
THREADS=${THREADS:-1}                     # wrk threads while loaded (they share the 2 cores too)
ROUNDS=${ROUNDS:-3}                       # interleaved rounds; the table shows the median
WARMUP=${WARMUP:-8}                       # seconds of load per target and mode before measuring (JIT)
UNLOADED_DURATION=${UNLOADED_DURATION:-3} # seconds per unloaded round and target
UNLOADED_DELAY_MS=${UNLOADED_DELAY_MS:-5} # pause after each unloaded answer (1 connection; lets the previous settle finish)
MODES=${MODES:-"nonstream stream"}
TARGETS=${TARGETS:-"direct nginx gateway"}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
PROMPT_TOKENS=${PROMPT_TOKENS:-20}        # fixed usage the fake reports, priced by the gateway
COMPLETION_TOKENS=${COMPLETION_TOKENS:-10}
UPSTREAM_DELAY_MS=${UPSTREAM_DELAY_MS:-0} # the fake waits this long before answering (a slower provider)
CHUNK_DELAY_MS=${CHUNK_DELAY_MS:-0}       # the fake waits this long between stream chunks (slow streams)
INPUT_PER_MTOK=${INPUT_PER_MTOK:-15}      # catalog price, credits per million tokens
OUTPUT_PER_MTOK=${OUTPUT_PER_MTOK:-60}
CREDITS=${CREDITS:-1000000}               # per account
ACCOUNTS=${ACCOUNTS:-1}                   # 1: every request charges one hot account; N: keys of N accounts in turn
WIDE_ACCOUNTS=${WIDE_ACCOUNTS:-64}        # accounts of the target "gateway-wide": the same gateway, keys of that many accounts in turn
BENCH_DB=${BENCH_DB:-gw_bench}            # dedicated database when GATEWAY_PG_URL is set
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
BASELINE_JAVA_OPTS=${BASELINE_JAVA_OPTS-$GATEWAY_JAVA_OPTS} # JVM options of the baseline gateway (default: the gateway's)
FAKE_JAVA_OPTS=${FAKE_JAVA_OPTS:-"-Xms256m -Xmx512m"}
PROFILE=${PROFILE:-0}                     # 1: JFR on the gateway, hot-method summary at the end
KEEP_TMP=${KEEP_TMP:-0}
REBUILD=${REBUILD:-0}
BASELINE_JAR=${BASELINE_JAR:-}            # another build's gateway.jar: measured as target "baseline" in the same run
LIMITS=${LIMITS:-0}                       # 1: generous limits on the key, account and channel (every request runs the limiter)
BASELINE_LIMITS=${BASELINE_LIMITS:-$LIMITS} # the same for the baseline gateway
BASELINE_ENV=${BASELINE_ENV:-}              # extra KEY=value settings for the baseline gateway only (space-separated)
OUT=${BENCH_OUT:-"$BENCH/out/$(date +%Y%m%d-%H%M%S)"}

GATEWAY_JAR="$ROOT/launcher/target/gateway.jar"
FAKE_JAR="$BENCH/target/fake-upstream.jar"
LUA="$BENCH/wrk/chat.lua"
MODEL=bench-model

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------- tools
need_packages=()
command -v wrk >/dev/null || need_packages+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_packages+=(nginx)
command -v jq >/dev/null || need_packages+=(jq)
command -v psql >/dev/null || need_packages+=(postgresql-client)
command -v curl >/dev/null || need_packages+=(curl)
if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian packages: ${need_packages[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}" >&2
  else
    die "missing ${need_packages[*]}: install them (e.g. sudo apt-get install -y ${need_packages[*]}) and rerun"
  fi
fi
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
command -v java >/dev/null || die "java (17+) is not on PATH"

# ---------------------------------------------------------------- build
if [ "$REBUILD" = 1 ] || [ ! -f "$GATEWAY_JAR" ] || [ ! -f "$FAKE_JAR" ]; then
  log "building the reactor (mvn -q -B -DskipTests package)"
  (cd "$ROOT" && mvn -q -B -DskipTests package) >&2
fi
[ -f "$GATEWAY_JAR" ] || die "$GATEWAY_JAR is missing after the build"
[ -f "$FAKE_JAR" ] || die "$FAKE_JAR is missing after the build"
if [ -n "$BASELINE_JAR" ]; then
  [ -f "$BASELINE_JAR" ] || die "BASELINE_JAR=$BASELINE_JAR does not exist"
  [ -n "${GATEWAY_PG_URL:-}" ] || die "BASELINE_JAR needs GATEWAY_PG_URL (each gateway gets a database of its own)"
  case " $TARGETS " in *" baseline "*) ;; *) TARGETS="$TARGETS baseline" ;; esac
fi

# ---------------------------------------------------------------- processes and cleanup
TMP=$(mktemp -d /tmp/gw-bench.XXXXXX)
chmod 755 "$TMP"
mkdir -p "$OUT"
PIDS=()          # started processes, stopped in reverse order
DB_CREATED=""    # databases this run created, dropped at exit
ADMIN_PG_URL=""  # where CREATE/DROP DATABASE run (GATEWAY_PG_URL's own database)

stop_pid() {
  local pid=$1 name=$2 waited=0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if [ $waited -ge 150 ]; then  # 15 s
      log "$name (pid $pid) ignored SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${PIDS[$i]%%:*}" "${PIDS[$i]#*:}"
  done
  local db
  for db in $DB_CREATED; do
    psql -q -X "$ADMIN_PG_URL" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 \
      && log "dropped database $db" || log "could not drop database $db: drop it by hand"
  done
  for f in gateway.log baseline.log fake.log nginx/error.log; do
    [ -f "$TMP/$f" ] && cp "$TMP/$f" "$OUT/$(basename "$f")" 2>/dev/null
  done
  if [ "$KEEP_TMP" = 1 ]; then
    log "kept $TMP"
  else
    rm -rf "$TMP"
  fi
  [ $status -ne 0 ] && log "exit status $status; logs in $OUT"
  exit $status
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

LAST_PID=""
start_bg() {  # name logfile cmd... ; sets LAST_PID (not $(...): the process must be this shell's child)
  local name=$1 logfile=$2
  shift 2
  "$@" >"$logfile" 2>&1 </dev/null &
  LAST_PID=$!
  PIDS+=("$LAST_PID:$name")
}

alive_or_die() {  # pid name logfile
  kill -0 "$1" 2>/dev/null || { tail -n 40 "$3" >&2; die "$2 exited"; }
}

free_port() {
  local p i
  for i in $(seq 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  die "no free port found"
}

# ---------------------------------------------------------------- fake upstream
log "starting the fake upstream"
# shellcheck disable=SC2086
start_bg fake-upstream "$TMP/fake.log" java $FAKE_JAVA_OPTS -jar "$FAKE_JAR" \
  --port-file "$TMP/fake.port" --models "$MODEL" \
  --prompt-tokens "$PROMPT_TOKENS" --completion-tokens "$COMPLETION_TOKENS" --first-byte-delay-ms "$UPSTREAM_DELAY_MS" --chunk-delay-ms "$CHUNK_DELAY_MS"
FAKE_PID=$LAST_PID
for i in $(seq 300); do  # 30 s
  [ -s "$TMP/fake.port" ] && break
  alive_or_die "$FAKE_PID" "the fake upstream" "$TMP/fake.log"
  sleep 0.1
done
[ -s "$TMP/fake.port" ] || die "the fake upstream did not report its port within 30 s"
FAKE_PORT=$(cat "$TMP/fake.port")

# ---------------------------------------------------------------- nginx
NGINX_PORT=$(free_port)
mkdir -p "$TMP/nginx"
chmod 755 "$TMP/nginx"
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  upstream fake {
    server 127.0.0.1:$FAKE_PORT;
    keepalive 256;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    keepalive_requests 1000000;
    location / {
      proxy_pass http://fake;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
EOF
log "starting nginx on 127.0.0.1:$NGINX_PORT"
start_bg nginx "$TMP/nginx/stdout.log" "$NGINX_BIN" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" \
  -e "$TMP/nginx/error.log" -g 'daemon off;'
NGINX_PID=$LAST_PID

# ---------------------------------------------------------------- database and gateway
GATEWAY_PORT=$(free_port)
DATA_DIR="$TMP/gateway-data"
mkdir -p "$DATA_DIR"
ADMIN_TOKEN="bench-admin-$RANDOM$RANDOM$RANDOM"
cat >"$TMP/catalog.yaml" <<EOF
channels:
  - name: bench-fake
    type: openai
    base_url: http://127.0.0.1:$FAKE_PORT/v1
    api_key: bench-upstream-key
models:
  - alias: $MODEL
    type: llm
    context_length: 128000
    price: {input_per_mtok: $INPUT_PER_MTOK, output_per_mtok: $OUTPUT_PER_MTOK}
    routes: [{channel: bench-fake, model: $MODEL}]
EOF

GW_ENV=(GATEWAY_HTTP_PORT="$GATEWAY_PORT" GATEWAY_HTTP_HOST=127.0.0.1 GATEWAY_DATA_DIR="$DATA_DIR"
  GATEWAY_ADMIN_TOKEN="$ADMIN_TOKEN" GATEWAY_CATALOG="$TMP/catalog.yaml")
PG_URL=""
if [ -n "${GATEWAY_PG_URL:-}" ]; then
  ADMIN_PG_URL=$GATEWAY_PG_URL
  base=${GATEWAY_PG_URL%%\?*}
  query=""
  [ "$base" != "$GATEWAY_PG_URL" ] && query="?${GATEWAY_PG_URL#*\?}"
  hostpart=${base#*://}
  if [[ "$hostpart" == */* ]]; then prefix="${base%%://*}://${hostpart%%/*}"; else prefix=$base; fi
  PG_URL="$prefix/$BENCH_DB$query"
  fresh_db() {  # name
    log "using the machine's Postgres: fresh database $1"
    PGOPTIONS='-c client_min_messages=warning' psql -q -X -v ON_ERROR_STOP=1 "$ADMIN_PG_URL" \
      -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null
    psql -q -X -v ON_ERROR_STOP=1 "$ADMIN_PG_URL" -c "CREATE DATABASE \"$1\"" >/dev/null
    DB_CREATED="$DB_CREATED $1"
  }
  fresh_db "$BENCH_DB"
  GW_ENV+=(GATEWAY_PG_URL="$PG_URL")
else
  log "no GATEWAY_PG_URL: the gateway runs its embedded Postgres"
  # the drain then reads the admin API, whose held amount includes the credit leases: let them go back soon
  GW_ENV+=(GATEWAY_LEASE_IDLE_SECONDS=1)
fi
if [ -n "${GATEWAY_REDIS_URL:-}" ]; then
  GW_ENV+=(GATEWAY_REDIS_URL="$GATEWAY_REDIS_URL")
fi
# Limits high enough never to refuse, on every scope: each request runs the whole admission script and its finish
LIMIT_ENV=(GATEWAY_KEY_LIMITS='rpm=1000000,tpm=2000000000,concurrency=10000'
  GATEWAY_ACCOUNT_LIMITS='rpm=1000000,concurrency=10000' GATEWAY_CHANNEL_LIMITS='rpm=1000000')
limit_env() { if [ "$1" = 1 ]; then printf '%s\n' "${LIMIT_ENV[@]}"; fi; }
mapfile -t GW_LIMIT_ENV < <(limit_env "$LIMITS")
mapfile -t BASELINE_LIMIT_ENV < <(limit_env "$BASELINE_LIMITS")
if [ "$LIMITS" = 1 ]; then log "limits on the gateway: ${LIMIT_ENV[*]}"; fi
GW_JAVA=(java)
if [ "$PROFILE" = 1 ]; then
  GW_JAVA+=("-XX:StartFlightRecording=filename=$OUT/gateway.jfr,settings=profile,dumponexit=true")
fi
# shellcheck disable=SC2206
GW_JAVA+=($GATEWAY_JAVA_OPTS -jar "$GATEWAY_JAR")

log "starting the gateway on 127.0.0.1:$GATEWAY_PORT"
start_bg gateway "$TMP/gateway.log" env "${GW_ENV[@]}" ${GW_LIMIT_ENV[@]+"${GW_LIMIT_ENV[@]}"} "${GW_JAVA[@]}"
GATEWAY_PID=$LAST_PID
for i in $(seq 1800); do  # 180 s: the embedded Postgres may have to unpack first
  if curl -fsS -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/health/ready" 2>/dev/null; then
    break
  fi
  alive_or_die "$GATEWAY_PID" "the gateway" "$TMP/gateway.log"
  alive_or_die "$NGINX_PID" "nginx" "$TMP/nginx/error.log"
  sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/health/ready" || die "the gateway was not ready within 180 s"
if [ -z "$PG_URL" ]; then
  pg_port=$(grep -o 'embedded Postgres on 127.0.0.1:[0-9]*' "$TMP/gateway.log" | head -n1 | sed 's/.*://')
  [ -n "$pg_port" ] && PG_URL="postgresql://postgres@127.0.0.1:$pg_port/postgres"
fi
log "gateway ready (Postgres: ${PG_URL:-unknown})"

# ---------------------------------------------------------------- account, credits, key
ADMIN_PORT=$GATEWAY_PORT  # which gateway admin() talks to
admin() {  # method path [json]
  local args=(-fsS -X "$1" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json')
  [ $# -ge 3 ] && args+=(-d "$3")
  curl "${args[@]}" "http://127.0.0.1:$ADMIN_PORT/admin$2"
}
ACCOUNT_IDS=()
API_KEYS=()
for n in $(seq "$ACCOUNTS"); do
  id=$(admin POST /accounts "{\"name\":\"bench-$n\"}" | jq -er .id) || die "could not create an account"
  admin POST "/accounts/$id/credits" "{\"amount_credits\": $CREDITS, \"note\": \"bench\"}" >/dev/null \
    || die "could not add credits"
  key=$(admin POST "/accounts/$id/keys" "{\"name\":\"bench\",\"models\":[\"$MODEL\"]}" | jq -er .key) \
    || die "could not create a key"
  ACCOUNT_IDS+=("$id")
  API_KEYS+=("$key")
done
ACCOUNT_ID=${ACCOUNT_IDS[0]}
API_KEY=${API_KEYS[0]}
BENCH_KEYS=$(IFS=,; echo "${API_KEYS[*]}")
export BENCH_KEYS
log "$ACCOUNTS account(s) with $CREDITS credits each, a key for $MODEL each"
# "gateway-wide": the same gateway process, driven with the keys of WIDE_ACCOUNTS other accounts, so one account and
# many are measured interleaved in one run
WIDE_KEYS=""
case " $TARGETS " in *" gateway-wide "*)
  wide=()
  for n in $(seq "$WIDE_ACCOUNTS"); do
    id=$(admin POST /accounts "{\"name\":\"bench-wide-$n\"}" | jq -er .id) || die "could not create an account"
    admin POST "/accounts/$id/credits" "{\"amount_credits\": $CREDITS, \"note\": \"bench\"}" >/dev/null \
      || die "could not add credits"
    wide+=("$(admin POST "/accounts/$id/keys" "{\"name\":\"bench\",\"models\":[\"$MODEL\"]}" | jq -er .key)") \
      || die "could not create a key"
  done
  WIDE_KEYS=$(IFS=,; echo "${wide[*]}")
  log "gateway-wide: $WIDE_ACCOUNTS more accounts on the same gateway" ;;
esac

# ---------------------------------------------------------------- baseline: another build, same set-up
BASELINE_PID=""; BASELINE_PORT=""; BASELINE_PG_URL=""; BASELINE_KEYS=""
if [ -n "$BASELINE_JAR" ]; then
  BASELINE_PORT=$(free_port)
  BASELINE_PG_URL="$prefix/${BENCH_DB}_baseline$query"
  fresh_db "${BENCH_DB}_baseline"
  mkdir -p "$TMP/baseline-data"
  log "starting the baseline gateway ($BASELINE_JAR) on 127.0.0.1:$BASELINE_PORT"
  # shellcheck disable=SC2086
  # its own Redis prefix: the two gateways' key and account ids are alike, their windows must not be shared
  start_bg baseline "$TMP/baseline.log" env "${GW_ENV[@]}" ${BASELINE_LIMIT_ENV[@]+"${BASELINE_LIMIT_ENV[@]}"} \
    GATEWAY_REDIS_PREFIX=gw-baseline GATEWAY_HTTP_PORT="$BASELINE_PORT" GATEWAY_DATA_DIR="$TMP/baseline-data" GATEWAY_PG_URL="$BASELINE_PG_URL" GATEWAY_METRICS_PORT="$(free_port)" $BASELINE_ENV java $BASELINE_JAVA_OPTS -jar "$BASELINE_JAR"
  BASELINE_PID=$LAST_PID
  for i in $(seq 1800); do
    curl -fsS -o /dev/null "http://127.0.0.1:$BASELINE_PORT/health/ready" 2>/dev/null && break
    alive_or_die "$BASELINE_PID" "the baseline gateway" "$TMP/baseline.log"
    sleep 0.1
  done
  curl -fsS -o /dev/null "http://127.0.0.1:$BASELINE_PORT/health/ready" || die "the baseline was not ready within 180 s"
  ADMIN_PORT=$BASELINE_PORT
  keys=()
  for n in $(seq "$ACCOUNTS"); do
    id=$(admin POST /accounts "{\"name\":\"bench-$n\"}" | jq -er .id) || die "baseline: could not create an account"
    admin POST "/accounts/$id/credits" "{\"amount_credits\": $CREDITS, \"note\": \"bench\"}" >/dev/null \
      || die "baseline: could not add credits"
    keys+=("$(admin POST "/accounts/$id/keys" "{\"name\":\"bench\",\"models\":[\"$MODEL\"]}" | jq -er .key)") \
      || die "baseline: could not create a key"
  done
  BASELINE_KEYS=$(IFS=,; echo "${keys[*]}")
  ADMIN_PORT=$GATEWAY_PORT
  log "baseline ready, $ACCOUNTS account(s) of its own"
fi
is_gateway() { [ "$1" = gateway ] || [ "$1" = gateway-wide ] || [ "$1" = baseline ]; }
pid_of() { if [ "$1" = baseline ]; then echo "$BASELINE_PID"; else echo "$GATEWAY_PID"; fi; }
pg_of() { if [ "$1" = baseline ]; then echo "$BASELINE_PG_URL"; else echo "$PG_URL"; fi; }
keys_of() {
  case $1 in baseline) echo "$BASELINE_KEYS" ;; gateway-wide) echo "$WIDE_KEYS" ;; *) echo "$BENCH_KEYS" ;; esac
}

url_of() {
  case $1 in
    direct) echo "http://127.0.0.1:$FAKE_PORT" ;;
    nginx) echo "http://127.0.0.1:$NGINX_PORT" ;;
    gateway|gateway-wide) echo "http://127.0.0.1:$GATEWAY_PORT" ;;
    baseline) echo "http://127.0.0.1:$BASELINE_PORT" ;;
  esac
}

# ---------------------------------------------------------------- sanity: every target answers right
for target in $TARGETS; do
  base=$(url_of "$target")
  API_KEY=$(keys_of "$target"); API_KEY=${API_KEY%%,*}
  body=$(curl -fsS "$base/v1/chat/completions" -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
    -d "{\"model\":\"$MODEL\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}") \
    || die "$target: the non-stream request failed"
  echo "$body" | jq -e '.choices[0].message.content and .usage.total_tokens' >/dev/null \
    || die "$target: unexpected non-stream answer: $body"
  stream=$(curl -fsSN "$base/v1/chat/completions" -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
    -d "{\"model\":\"$MODEL\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}") \
    || die "$target: the stream request failed"
  grep -q '^data: \[DONE\]' <<<"$stream" || die "$target: the stream did not end with [DONE]: $stream"
  grep -q '"usage":{' <<<"$stream" || die "$target: the stream carried no usage: $stream"
done
API_KEY=${API_KEYS[0]}
log "every target answers non-stream and stream requests"

# ---------------------------------------------------------------- measuring
RAW="$OUT/raw.tsv"
printf 'phase\tmode\ttarget\tround\trps\tp50_us\tp90_us\tp99_us\tmax_us\trequests\tnon2xx\tsocket_errors\tgw_cpu_ms\tpg_cpu_ms\tfake_cpu_ms\tnginx_cpu_ms\tmachine_busy_pct\tothers_busy_pct\tsettle_drain_ms\n' >"$RAW"
GATEWAY_REQUESTS=0  # completed by wrk against the gateway, warm-up included (usage rows to expect)
CLK_TCK=$(getconf CLK_TCK)

proc_ticks() {  # sum of utime+stime of the given pids
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    # fields after the ")" of the command: state is $1, utime $12, stime $13
    total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo $total
}
# The Postgres backends serving the gateway's database (not the server's background processes,
# nor other clients of a shared server).
pg_pids() {  # [pg url]
  local url=${1:-$PG_URL}
  [ -n "$url" ] || return 0
  psql -X -At "$url" -c "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()" 2>/dev/null || true
}
nginx_pids() { echo "$NGINX_PID"; pgrep -P "$NGINX_PID" || true; }
machine_ticks() { awk '/^cpu /{busy=$2+$3+$4+$7+$8; print busy, busy+$5+$6}' /proc/stat; }

# The gateway answers before it settles: after a gateway run, wait (30 s at most) until every
# hold is settled, so its billing backlog does not land on the next target's round. Prints ms.
total_held() {  # [pg url]: what is held over every bench account ("0" when nothing): one query, else the admin API
  local url=${1:-$PG_URL}
  if [ -n "$url" ]; then
    # held for requests (credit leases stay until idle), and the usage rows so far: settles against a lease leave
    # no hold to wait for, so the drain also waits for the row count to stop moving
    local held rows
    held=$(psql -X -At "$url" -c "SELECT COALESCE(sum(amount_micros), 0) FROM billing.holds WHERE request_id NOT LIKE 'lease:%'" 2>/dev/null) || { echo unknown; return; }
    rows=$(psql -X -At "$url" -c "SELECT count(*) FROM billing.usage" 2>/dev/null) || { echo unknown; return; }
    # (called in $(...): the last count is kept in a file, a variable would not outlive the subshell)
    local last; last=$(cat "$TMP/usage-rows" 2>/dev/null || true)
    echo "$rows" >"$TMP/usage-rows"
    if [ "$held" = 0 ] && [ "$rows" = "$last" ]; then echo 0; else echo "${held}µcr/${rows}rows"; fi
    return
  fi
  local id h
  for id in "${ACCOUNT_IDS[@]}"; do
    h=$(admin GET "/accounts/$id" | jq -r .held_credits) || { echo unknown; return; }
    [ "$h" = 0 ] || { echo "$h"; return; }
  done
  echo 0
}

drain_holds() {  # [pg url]
  local t0 t1 held i
  t0=$(date +%s%N)
  rm -f "$TMP/usage-rows"
  for i in $(seq 3000); do
    held=$(total_held "${1:-}")
    [ "$held" = 0 ] && break
    sleep 0.01
  done
  [ "$held" = 0 ] || log "WARNING: $held still held 30 s after the run"
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}

# Per-thread CPU ticks of the gateway as "name ticks" lines (digits in names folded to N).
thread_ticks() {  # [pid]
  local f
  for f in /proc/"${1:-$GATEWAY_PID}"/task/*/stat; do
    sed -E 's/^[0-9]+ \((.*)\) [A-Z] (.*)$/\1\t\2/' "$f" 2>/dev/null
  done | awk -F '\t' '{ split($2, a, " "); name = $1; gsub(/[0-9]+/, "N", name); t[name] += a[11] + a[12] }
    END { for (n in t) print n "\t" t[n] }'
}

run_wrk() {  # phase mode target round connections threads duration delay_ms
  local phase=$1 mode=$2 target=$3 round=$4 conns=$5 threads=$6 duration=$7 delay=$8
  local stream=false
  [ "$mode" = stream ] && stream=true
  local g0 p0 f0 n0 m0 g1 p1 f1 n1 m1 out result backends threads0=""
  local gw_pid pg_url
  gw_pid=$(pid_of "$target"); pg_url=$(pg_of "$target")
  backends=$(pg_pids "$pg_url")
  if [ "$PROFILE" = 1 ] && [ "$target" = gateway ] && [ "$phase" = loaded ]; then threads0=$(thread_ticks); fi
  # shellcheck disable=SC2086
  g0=$(proc_ticks "$gw_pid"); p0=$(proc_ticks $backends); f0=$(proc_ticks "$FAKE_PID")
  n0=$(proc_ticks $(nginx_pids)); read -r mb0 mt0 < <(machine_ticks)
  local heap_sampler=""
  if is_gateway "$target" && [ "$phase" = loaded ] && command -v jstat >/dev/null; then
    # heap in use (young + old, KiB) every 500 ms: the round's peak goes in the table
    jstat -gc "$gw_pid" 500 >"$TMP/heap.$target.$mode.$round" 2>/dev/null &
    heap_sampler=$!
  fi
  out=$(BENCH_KEYS=$(keys_of "$target") BENCH_DELAY_MS=$delay wrk -t"$threads" -c"$conns" -d"${duration}s" --timeout 10s -s "$LUA" \
    "$(url_of "$target")" -- "$(keys_of "$target" | cut -d, -f1)" "$stream" "$MODEL" 2>&1) || { echo "$out" >&2; die "wrk failed"; }
  # shellcheck disable=SC2086
  local heap_mb=-
  if [ -n "$heap_sampler" ]; then
    kill "$heap_sampler" 2>/dev/null; wait "$heap_sampler" 2>/dev/null || true
    heap_mb=$(awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
      { used = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]; if (used > peak) peak = used }
      END { printf "%.0f", peak / 1024 }' "$TMP/heap.$target.$mode.$round")
    log "$target $mode round $round: peak heap in use ${heap_mb} MB"
    echo "$phase	$mode	$target	$round	$heap_mb" >>"$OUT/heap.tsv"
  fi
  g1=$(proc_ticks "$gw_pid"); p1=$(proc_ticks $backends); f1=$(proc_ticks "$FAKE_PID")
  n1=$(proc_ticks $(nginx_pids)); read -r mb1 mt1 < <(machine_ticks)
  if [ -n "$threads0" ]; then  # where the gateway's CPU went during this round, by thread
    { echo "$threads0" | sed 's/^/0\t/'; thread_ticks | sed 's/^/1\t/'; } >>"$OUT/gateway-threads.raw"
  fi
  local drain_ms=0
  if is_gateway "$target"; then drain_ms=$(drain_holds "$pg_url"); fi
  result=$(grep '^RESULT ' <<<"$out" | tail -n1)
  [ -n "$result" ] || { echo "$out" >&2; die "wrk printed no RESULT line"; }
  # shellcheck disable=SC2086
  local $(sed 's/^RESULT //' <<<"$result")
  if [ "$target" = gateway ] || [ "$target" = gateway-wide ]; then GATEWAY_REQUESTS=$((GATEWAY_REQUESTS + requests)); fi
  local to_ms=$((1000 / CLK_TCK))
  local busy others ours=$(((g1 - g0) + (p1 - p0) + (f1 - f0) + (n1 - n0)))
  busy=$(awk -v b=$((mb1 - mb0)) -v t=$((mt1 - mt0)) 'BEGIN { printf "%.0f", (t > 0 ? 100 * b / t : 0) }')
  # everything else: wrk itself, Postgres's background work, and whatever else runs on the machine
  others=$(awk -v b=$((mb1 - mb0)) -v o=$ours -v t=$((mt1 - mt0)) 'BEGIN { printf "%.0f", (t > 0 ? 100 * (b - o) / t : 0) }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$mode" "$target" "$round" \
    "$rps" "$p50_us" "$p90_us" "$p99_us" "$max_us" "$requests" "$non2xx" "$socket_errors" \
    $(((g1 - g0) * to_ms)) $(((p1 - p0) * to_ms)) $(((f1 - f0) * to_ms)) $(((n1 - n0) * to_ms)) "$busy" \
    "$others" "$drain_ms" >>"$RAW"
  if [ "$non2xx" != 0 ] || [ "$socket_errors" != 0 ]; then
    log "WARNING: $phase $mode $target round $round: $non2xx non-2xx answers, $socket_errors socket errors"
  fi
  log "$(printf '%-8s %-9s %-12s r%s  %9s req/s  p50 %6s us  p99 %7s us%s' "$phase" "$mode" "$target" "$round" \
    "$rps" "$p50_us" "$p99_us" "$([ "$drain_ms" -gt 100 ] && echo "  (settles drained ${drain_ms} ms after)")")"
}

START_TS=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "warming up: ${WARMUP}s per target and mode"
for mode in $MODES; do
  for target in $TARGETS; do
    run_wrk warmup "$mode" "$target" 0 "$CONNECTIONS" "$THREADS" "$WARMUP" 0
  done
done

log "unloaded: 1 connection, ${UNLOADED_DELAY_MS} ms pause after each answer, ${UNLOADED_DURATION}s x $ROUNDS rounds"
for round in $(seq "$ROUNDS"); do
  for mode in $MODES; do
    for target in $TARGETS; do
      run_wrk unloaded "$mode" "$target" "$round" 1 1 "$UNLOADED_DURATION" "$UNLOADED_DELAY_MS"
    done
  done
done

SAMPLER_PID=""
if [ "$PROFILE" = 1 ] && [ -n "$PG_URL" ]; then
  # What the gateway's busy Postgres backends wait for, every 50 ms, over one connection (psql \watch)
  printf '%s\n' "SELECT coalesce(wait_event_type, 'CPU'), coalesce(wait_event, 'running') FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' \watch 0.05" \
    | psql -X -At -F ' ' "$PG_URL" >"$OUT/pg-waits.raw" 2>/dev/null &
  SAMPLER_PID=$!
  PIDS+=("$SAMPLER_PID:pg-sampler")
fi

log "loaded: $CONNECTIONS connections, $THREADS wrk thread(s), ${DURATION}s x $ROUNDS rounds"
for round in $(seq "$ROUNDS"); do
  for mode in $MODES; do
    for target in $TARGETS; do
      run_wrk loaded "$mode" "$target" "$round" "$CONNECTIONS" "$THREADS" "$DURATION" 0
    done
  done
done
ELAPSED=$(($(date +%s) - START_TS))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -f "$OUT/gateway-threads.raw" ]; then
  {
    echo "gateway CPU by thread over the loaded gateway rounds (ms; digits in thread names folded to N)"
    awk -F '\t' -v ms=$((1000 / CLK_TCK)) '{ v[$2] += ($1 == 1 ? $3 : -$3) }
      END { for (n in v) { total += v[n] }; for (n in v) if (v[n] > 0) printf "%8d ms %5.1f%%  %s\n", v[n] * ms, 100 * v[n] / total, n }' \
      "$OUT/gateway-threads.raw" | sort -rn
  } >"$OUT/gateway-threads.txt"
fi
if [ -n "$SAMPLER_PID" ]; then
  stop_pid "$SAMPLER_PID" pg-sampler
  {
    echo "wait events of the gateway's active Postgres backends, sampled every 50 ms during the loaded rounds"
    echo "(CPU running = not waiting; Lock/transactionid or tuple = rows locked by another transaction; IO/WAL* = commit flushes)"
    grep -v '^$' "$OUT/pg-waits.raw" | sort | uniq -c | sort -rn
  } >"$OUT/pg-waits.txt"
fi

# ---------------------------------------------------------------- money
log "checking the money"
rm -f "$TMP/usage-rows"
for i in $(seq 300); do  # settles run after the answer: wait (30 s at most) until no hold is left
  [ "$(total_held)" = 0 ] && break
  sleep 0.1
done
account_json=$(admin GET "/accounts/$ACCOUNT_ID") || die "GET /admin/accounts/$ACCOUNT_ID failed"
MONEY="$OUT/money.txt"
{
  echo "$ACCOUNTS account(s); account $ACCOUNT_ID via the admin API: $(jq -c '{balance_credits, held_credits, available_credits}' <<<"$account_json")"
  if [ -n "$PG_URL" ]; then
    q() { psql -X -At -F ' ' -v ON_ERROR_STOP=1 "$PG_URL" -c "$1"; }
    expected_cost=$(awk -v p="$PROMPT_TOKENS" -v c="$COMPLETION_TOKENS" -v i="$INPUT_PER_MTOK" -v o="$OUTPUT_PER_MTOK" \
      'BEGIN { printf "%d", p * i + c * o }')  # µcr per request: tokens x credits/Mtok
    # the database is the benchmark's own: sums over every account are the bench accounts' sums
    read -r balance held_m <<<"$(q "SELECT COALESCE(sum(balance_micros), 0), COALESCE(sum(held_micros), 0) FROM billing.balances")"
    topups=$(q "SELECT COALESCE(sum(amount_micros), 0) FROM billing.ledger WHERE kind = 'topup'")
    charges=$(q "SELECT COALESCE(-sum(amount_micros), 0) FROM billing.ledger WHERE kind = 'charge'")
    read -r rows usage_cost priced <<<"$(q "SELECT count(*), COALESCE(sum(cost_micros), 0), COALESCE(sum(priced_micros), 0) FROM billing.usage")"
    open_holds=$(q "SELECT count(*) FROM billing.holds WHERE request_id NOT LIKE 'lease:%'")
    read -r leases leased <<<"$(q "SELECT count(*), COALESCE(sum(amount_micros), 0) FROM billing.holds WHERE request_id LIKE 'lease:%'")"
    held_m=$((held_m - leased))
    odd_completed=$(q "SELECT count(*) FROM billing.usage WHERE outcome = 'completed' AND cost_micros <> $expected_cost")
    drop=$((topups - balance))
    echo "balance drop (top-ups - balance):      $drop µcr"
    echo "sum of usage rows' cost:               $usage_cost µcr over $rows rows (priced $priced µcr)"
    echo "sum of charge ledger rows:             $charges µcr"
    echo "held for requests now: $held_m µcr; open request holds: $open_holds; credit leases: $leases holding $leased µcr"
    echo "usage rows by outcome:"
    q "SELECT outcome, count(*), sum(cost_micros) FROM billing.usage GROUP BY outcome ORDER BY 1" \
      | sed 's/^/  /'
    echo "requests wrk saw answered by the gateway: $GATEWAY_REQUESTS (+ 2 sanity checks); usage rows: $rows"
    echo "completed rows not costing the expected $expected_cost µcr: $odd_completed"
    if [ "$drop" = "$usage_cost" ] && [ "$drop" = "$charges" ] && [ "$held_m" = 0 ] && [ "$open_holds" = 0 ] \
      && [ "$odd_completed" = 0 ]; then
      echo "MONEY OK: balance drop = sum of usage costs = sum of charges; no hold left"
    else
      echo "MONEY MISMATCH"
    fi
  else
    echo "no Postgres URL known: only the admin API's balance is shown"
  fi
} | tee "$MONEY" >&2

# ---------------------------------------------------------------- gateway log
LOGSUM="$OUT/gateway-log-summary.txt"
{
  # the gateway logs JSON lines by default ("level":"WARN"), text lines with GATEWAY_LOG_FORMAT=text (" WARN ")
  level_re='( (WARN|ERROR) |"level":"(WARN|ERROR)")'
  echo "gateway log lines: $(wc -l <"$TMP/gateway.log"), WARN: $(grep -cE '( WARN |"level":"WARN")' "$TMP/gateway.log" || true)," \
    "ERROR: $(grep -cE '( ERROR |"level":"ERROR")' "$TMP/gateway.log" || true)," \
    "charge_lost alerts: $(grep -c '"alert":"charge_lost"\|alert=charge_lost' "$TMP/gateway.log" || true)"
  { grep -E "$level_re" "$TMP/gateway.log" || true; } \
    | sed -E 's/^.*"message":"([^"]*)".*$/\1/; s/^[^ ]+ //; s/req_[0-9a-f]+/req_*/g; s/[0-9]+/N/g' \
    | sort | uniq -c | sort -rn | head -n 10
} | tee "$LOGSUM" >&2

# ---------------------------------------------------------------- table
SUMMARY="$OUT/summary.txt"
{
  echo "Gateway benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "loaded: $CONNECTIONS connections, $THREADS wrk thread(s), ${DURATION}s x $ROUNDS rounds, keys of $ACCOUNTS account(s) in turn; unloaded: 1 connection,"
  echo "${UNLOADED_DELAY_MS} ms pause after each answer, ${UNLOADED_DURATION}s x $ROUNDS rounds; medians of rounds; measured for ${ELAPSED}s"
  echo "load average before / after measuring: $LOAD_BEFORE / $LOAD_AFTER (anything above ~2 means other work shared the cores)"
  echo "rate limits: gateway $( [ "$LIMITS" = 1 ] && echo "on (${LIMIT_ENV[*]})" || echo off)$( [ -n "$BASELINE_JAR" ] && echo ", baseline $( [ "$BASELINE_LIMITS" = 1 ] && echo on || echo off)")"
  echo "Postgres: $( [ -n "${GATEWAY_PG_URL:-}" ] && echo "the machine's ($BENCH_DB)" || echo embedded ); latency = until the whole response (stream: its last event)"
  echo "req/s: answered with a 2xx (errors: any other answer, and socket errors); latencies are of all answers;"
  echo "gw cpu us / pg cpu us: CPU time of the gateway process / of its Postgres backends per 2xx answer;"
  echo "busy%: the whole machine's CPU during the round; other%: the part not used by gateway, its Postgres backends,"
  echo "fake upstream or nginx (wrk itself, Postgres background work, anything else running on the machine)"
  echo
  awk -F '\t' -v targets="$TARGETS" -v modes="$MODES" '
    function median(key,    n, i, j, t, a) {
      n = split(vals[key], a, " ")
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
      if (n == 0) return ""
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function add(key, v) { vals[key] = vals[key] == "" ? v : vals[key] " " v }
    NR > 1 && $1 != "warmup" {
      k = $1 SUBSEP $2 SUBSEP $3
      # a refusal (503 while billing is behind, say) is cheap and fast: req/s and CPU count answered 2xx only
      served = $10 - $11 - $12
      add(k SUBSEP "rps", $10 > 0 ? $5 * served / $10 : $5); add(k SUBSEP "p50", $6); add(k SUBSEP "p99", $8)
      add(k SUBSEP "non2xx", $11 + $12)
      if (served > 0) add(k SUBSEP "gwcpu", 1000 * $13 / served)
      if (served > 0) add(k SUBSEP "pgcpu", 1000 * $14 / served)
      add(k SUBSEP "busy", $17); add(k SUBSEP "others", $18)
    }
    function ms(us) { return sprintf("%.3f", us / 1000) }
    END {
      nt = split(targets, T, " "); nm = split(modes, M, " ")
      for (phase = 1; phase <= 2; phase++) {
        ph = phase == 1 ? "unloaded" : "loaded"
        printf "%s\n", ph == "loaded" ? "LOADED (throughput)" : "UNLOADED (one connection, paced)"
        printf "  %-10s %-12s %10s %9s %9s %10s %10s %6s %7s %7s\n", "mode", "target", "req/s", "p50 ms", "p99 ms", "gw cpu us", "pg cpu us", "busy%", "other%", "errors"
        for (m = 1; m <= nm; m++) {
          for (t = 1; t <= nt; t++) {
            k = ph SUBSEP M[m] SUBSEP T[t]
            if (vals[k SUBSEP "rps"] == "") continue
            ours = T[t] == "gateway" || T[t] == "gateway-wide" || T[t] == "baseline"
            gw = ours && ph == "loaded" ? sprintf("%.0f", median(k SUBSEP "gwcpu")) : "-"
            pg = ours && ph == "loaded" ? sprintf("%.0f", median(k SUBSEP "pgcpu")) : "-"
            n = split(vals[k SUBSEP "non2xx"], e, " "); errs = 0; for (i = 1; i <= n; i++) errs += e[i]
            printf "  %-10s %-12s %10.0f %9s %9s %10s %10s %6s %7s %7d\n", M[m], T[t], median(k SUBSEP "rps"), ms(median(k SUBSEP "p50")), ms(median(k SUBSEP "p99")), gw, pg, median(k SUBSEP "busy"), median(k SUBSEP "others"), errs
          }
          d = ph SUBSEP M[m] SUBSEP "direct"; g = ph SUBSEP M[m] SUBSEP "gateway"; x = ph SUBSEP M[m] SUBSEP "nginx"
          if (vals[d SUBSEP "rps"] != "" && vals[g SUBSEP "rps"] != "") {
            printf "  %-10s gateway added: p50 %+.3f ms, p99 %+.3f ms vs direct", M[m], (median(g SUBSEP "p50") - median(d SUBSEP "p50")) / 1000, (median(g SUBSEP "p99") - median(d SUBSEP "p99")) / 1000
            if (vals[x SUBSEP "rps"] != "") printf "; p50 %+.3f ms vs nginx", (median(g SUBSEP "p50") - median(x SUBSEP "p50")) / 1000
            printf "\n"
            if (ph == "loaded") {
              printf "  %-10s gateway req/s = %.2f x direct", M[m], median(g SUBSEP "rps") / median(d SUBSEP "rps")
              if (vals[x SUBSEP "rps"] != "") printf ", %.2f x nginx", median(g SUBSEP "rps") / median(x SUBSEP "rps")
              printf "\n"
            }
            b = ph SUBSEP M[m] SUBSEP "baseline"
            if (vals[b SUBSEP "rps"] != "") {
              printf "  %-10s baseline added: p50 %+.3f ms, p99 %+.3f ms vs direct", M[m], (median(b SUBSEP "p50") - median(d SUBSEP "p50")) / 1000, (median(b SUBSEP "p99") - median(d SUBSEP "p99")) / 1000
              if (ph == "loaded") printf "; req/s = %.2f x direct; gateway req/s = %.2f x baseline", median(b SUBSEP "rps") / median(d SUBSEP "rps"), median(g SUBSEP "rps") / median(b SUBSEP "rps")
              printf "\n"
            }
            w = ph SUBSEP M[m] SUBSEP "gateway-wide"
            if (ph == "loaded" && vals[w SUBSEP "rps"] != "") {
              printf "  %-10s gateway-wide (many accounts) req/s = %.2f x gateway (one account)\n", M[m], median(w SUBSEP "rps") / median(g SUBSEP "rps")
            }
            if (vals[x SUBSEP "rps"] != "") {
              printf "  %-10s nginx added:   p50 %+.3f ms, p99 %+.3f ms vs direct\n", M[m], (median(x SUBSEP "p50") - median(d SUBSEP "p50")) / 1000, (median(x SUBSEP "p99") - median(d SUBSEP "p99")) / 1000
            }
          }
        }
        print ""
      }
      g = "loaded" SUBSEP "nonstream" SUBSEP "gateway"; d = "unloaded" SUBSEP "nonstream" SUBSEP "direct"; u = "unloaded" SUBSEP "nonstream" SUBSEP "gateway"
      print "TARGETS"
      if (vals[g SUBSEP "rps"] != "") {
        r = median(g SUBSEP "rps")
        printf "  10,000 non-stream req/s through the gateway: %.0f req/s -> %s\n", r, r >= 10000 ? "MET" : sprintf("NOT MET (%.1f x short)", 10000 / r)
      }
      if (vals[u SUBSEP "p50"] != "" && vals[d SUBSEP "p50"] != "") {
        a = (median(u SUBSEP "p50") - median(d SUBSEP "p50")) / 1000
        printf "  <= 0.300 ms added to an unloaded p50: %+.3f ms -> %s\n", a, a <= 0.3 ? "MET" : sprintf("NOT MET (%.3f ms over)", a - 0.3)
      }
    }' "$RAW"
  echo
  cat "$MONEY"
} >"$SUMMARY"
cat "$SUMMARY"

# ---------------------------------------------------------------- profile
if [ "$PROFILE" = 1 ]; then
  log "stopping the gateway to dump its flight recording"
  stop_pid "$GATEWAY_PID" gateway
  if [ -f "$OUT/gateway.jfr" ]; then
    "$BENCH/jfr-top.sh" "$OUT/gateway.jfr" >"$OUT/profile.txt" 2>&1 || true
    log "hot methods in $OUT/profile.txt"
  fi
fi
log "results in $OUT"
