# syntax=docker/dockerfile:1
# Cantor scheduler node (a Hazelcast member serving the HTTP and agent APIs).
# Build from the repository root:
#   docker build -f deploy/docker/scheduler.Dockerfile -t cantor/scheduler:dev .
# scheduler.Dockerfile.dockerignore (beside this file) keeps build outputs and samples out of the context.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The whole reactor is copied: Maven reads every module's pom.xml even with -pl.
COPY . .
# The cache mount keeps ~/.m2 between builds, so only changed code costs time.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -DskipTests package -pl scheduler -am

FROM eclipse-temurin:17-jre
# curl for the HEALTHCHECK below (and for compose's healthcheck).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
# A fixed non-root uid, so volume ownership (fsGroup in Kubernetes) is predictable.
RUN groupadd --system --gid 10001 cantor \
 && useradd --system --uid 10001 --gid cantor --home-dir /var/lib/cantor --shell /usr/sbin/nologin cantor \
 && mkdir -p /var/lib/cantor/data /var/lib/cantor/blobs \
 && chown -R cantor:cantor /var/lib/cantor
# The jar's manifest Class-Path points at lib/, so both go into one folder.
COPY --from=build /src/scheduler/target/lib/ /opt/cantor/lib/
COPY --from=build /src/scheduler/target/cantor-scheduler.jar /opt/cantor/cantor-scheduler.jar
USER 10001:10001
WORKDIR /var/lib/cantor
# 8080: public API, agent API, /metrics, /health. 5701: Hazelcast, member to member only.
# Vert.x's clustered event bus also opens a random port between members: do not firewall members from each other.
EXPOSE 8080 5701
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
# The --add-* flags open the JDK internals Hazelcast reads for its metrics (same as bin/cantor).
# Heap at 75% of the container's memory limit; exit on OOM so the orchestrator restarts a clean member.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError", \
  "--add-modules", "java.se", \
  "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", \
  "--add-opens", "java.base/java.lang=ALL-UNNAMED", \
  "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", \
  "--add-opens", "java.management/sun.management=ALL-UNNAMED", \
  "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", \
  "-jar", "/opt/cantor/cantor-scheduler.jar"]
# Default flags; compose and Kubernetes replace them (keep --data-dir and --blob-dir when you do).
CMD ["--data-dir", "/var/lib/cantor/data", "--blob-dir", "/var/lib/cantor/blobs"]
