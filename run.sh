#!/usr/bin/env bash
# Starts the gateway with every role in one process, building the jar first if it is missing.
# Configuration comes from GATEWAY_* environment variables (see README.md); with none set it
# runs on an embedded Postgres (data under ./data) and an embedded Redis.
set -euo pipefail
cd "$(dirname "$0")"
JAR=launcher/target/gateway.jar
if [ ! -f "$JAR" ]; then
  echo "building $JAR ..." >&2
  mvn -q -B -DskipTests -pl launcher -am package >&2
fi
exec java ${JAVA_OPTS:-} -jar "$JAR" "$@"
