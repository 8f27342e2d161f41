#!/usr/bin/env bash
# Runs the gateway as a cluster of separate processes on this machine, the way Kubernetes runs
# it: two routers, one auth+catalog, one billing, joined by Hazelcast over TCP on loopback.
#
#   scripts/local-cluster.sh start     # start the four processes (logs and pids in ./cluster)
#   scripts/local-cluster.sh status    # readiness of each
#   scripts/local-cluster.sh load [N]  # N chat requests through both routers (needs a catalog)
#   scripts/local-cluster.sh kill-billing | start-billing
#   scripts/local-cluster.sh stop      # SIGTERM all (routers drain their streams)
#
# Needs a shared Postgres and Redis: GATEWAY_PG_URL and GATEWAY_REDIS_URL (defaults: the local
# servers). GATEWAY_CATALOG may name a catalog file for the auth+catalog process.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${CLUSTER_DIR:-./cluster}
JAR=launcher/target/gateway.jar
export GATEWAY_PG_URL=${GATEWAY_PG_URL:-postgresql://postgres@127.0.0.1:5432/test}
export GATEWAY_REDIS_URL=${GATEWAY_REDIS_URL:-redis://127.0.0.1:6379}
export GATEWAY_ADMIN_TOKEN=${GATEWAY_ADMIN_TOKEN:-local-cluster-admin-token}
export GATEWAY_CLUSTER=true
export GATEWAY_CLUSTER_NAME=${GATEWAY_CLUSTER_NAME:-local-cluster}
export GATEWAY_CLUSTER_HOST=127.0.0.1
export GATEWAY_CLUSTER_MEMBERS=127.0.0.1:5801,127.0.0.1:5802,127.0.0.1:5803,127.0.0.1:5804
export GATEWAY_LOG_FORMAT=${GATEWAY_LOG_FORMAT:-text}

# name roles cluster-port http-port metrics-port
PROCESSES=(
  "auth-catalog auth,catalog 5801 8091 9471"
  "billing billing 5802 8092 9472"
  "router-1 router 5803 8081 9473"
  "router-2 router 5804 8082 9474"
)

start_one() { # name roles cluster-port http-port metrics-port
  local name=$1
  if [ -f "$DIR/$name.pid" ] && kill -0 "$(cat "$DIR/$name.pid")" 2>/dev/null; then
    echo "$name already running"; return
  fi
  GATEWAY_ROLES=$2 GATEWAY_CLUSTER_PORT=$3 GATEWAY_HTTP_PORT=$4 GATEWAY_METRICS_PORT=$5 \
    GATEWAY_DATA_DIR="$DIR/data-$name" \
    ${GATEWAY_CATALOG:+GATEWAY_CATALOG=$GATEWAY_CATALOG} \
    java ${JAVA_OPTS:--Xmx512m} -jar "$JAR" >>"$DIR/$name.log" 2>&1 &
  echo $! >"$DIR/$name.pid"
  echo "started $name (pid $!, http $4, cluster $3)"
}

wait_ready() { # http-port
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$1/health/ready" >/dev/null && return 0
    sleep 1
  done
  echo "port $1 not ready after 120 s" >&2; return 1
}


case "${1:-}" in
  start)
    [ -f "$JAR" ] || mvn -q -B -DskipTests -pl launcher -am package
    mkdir -p "$DIR"
    for p in "${PROCESSES[@]}"; do start_one $p; done
    for p in "${PROCESSES[@]}"; do set -- $p; wait_ready "$4"; done
    echo "cluster ready: routers on 8081 and 8082, admin token $GATEWAY_ADMIN_TOKEN"
    ;;
  status)
    for p in "${PROCESSES[@]}"; do
      set -- $p
      printf '%-13s %s\n' "$1" "$(curl -s "http://127.0.0.1:$4/health/ready" || echo down)"
    done
    ;;
  load)
    key=${GATEWAY_KEY:?set GATEWAY_KEY to a customer key}
    for i in $(seq 1 "${2:-100}"); do
      port=$((8081 + i % 2))
      curl -s -o /dev/null -w "%{http_code} " "http://127.0.0.1:$port/v1/chat/completions" \
        -H "authorization: Bearer $key" -H 'content-type: application/json' \
        -d "{\"model\":\"${MODEL:-gpt-4o-mini}\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
    done
    echo
    ;;
  kill-billing)
    kill -KILL "$(cat "$DIR/billing.pid")" && echo "billing killed (SIGKILL)"
    ;;
  start-billing)
    start_one billing billing 5802 8092 9472 && wait_ready 8092
    ;;
  stop)
    for p in "${PROCESSES[@]}"; do
      set -- $p
      if [ -f "$DIR/$1.pid" ]; then kill -TERM "$(cat "$DIR/$1.pid")" 2>/dev/null || true; rm -f "$DIR/$1.pid"; fi
    done
    echo "stopping (routers drain for up to GATEWAY_SHUTDOWN_GRACE_SECONDS)"
    ;;
  *)
    sed -n '2,13p' "$0"; exit 2
    ;;
esac
