# syntax=docker/dockerfile:1
# One image for every role: GATEWAY_ROLES picks what a container runs (see k8s/).
#   docker build -t llm-gateway:0.1.0 .
#   docker run --rm -p 8080:8080 llm-gateway:0.1.0     # all roles, embedded Postgres and Redis

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# the cache mount keeps ~/.m2 between builds; tests run in CI (mvn verify), not here
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -pl launcher -am package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --home-dir /app --shell /usr/sbin/nologin gateway \
 && mkdir -p /app/data \
 && chown -R gateway:gateway /app
WORKDIR /app
COPY --from=build /src/launcher/target/gateway.jar /app/gateway.jar
USER 10001:10001
# data dir of the embedded Postgres and of a generated admin token, when no URL or token is set
ENV GATEWAY_DATA_DIR=/app/data
# HTTP (API, admin, /health/*), Hazelcast member, Vert.x event bus (k8s/ fixes it to 5702), /metrics
EXPOSE 8080 5701 5702 9464
# Heap from the container's memory limit; die on OOM so the orchestrator restarts the pod;
# the --add-* flags are the module access Hazelcast 5 asks for on Java 17.
# Add JVM flags per deployment through JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", \
  "-XX:MaxRAMPercentage=75", \
  "-XX:+ExitOnOutOfMemoryError", \
  "--add-modules", "java.se", \
  "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", \
  "--add-opens", "java.base/java.lang=ALL-UNNAMED", \
  "--add-opens", "java.base/java.nio=ALL-UNNAMED", \
  "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", \
  "--add-opens", "java.management/sun.management=ALL-UNNAMED", \
  "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", \
  "-jar", "/app/gateway.jar"]
