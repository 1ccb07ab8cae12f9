# syntax=docker/dockerfile:1
# Cantor agent, CPU only (trains with the CPU libtorch that ships inside lib/pytorch-native-cpu-*.jar).
# For GPU nodes use agent-gpu.Dockerfile. Build from the repository root:
#   docker build -f deploy/docker/agent.Dockerfile -t cantor/agent:dev .

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -DskipTests package -pl node-agent -am

FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 cantor \
 && useradd --system --uid 10001 --gid cantor --home-dir /var/lib/cantor --shell /usr/sbin/nologin cantor \
 && mkdir -p /var/lib/cantor/work /var/lib/cantor/djl \
 && chown -R cantor:cantor /var/lib/cantor
COPY --from=build /src/node-agent/target/lib/ /opt/cantor/lib/
COPY --from=build /src/node-agent/target/cantor-agent.jar /opt/cantor/cantor-agent.jar
# Scratch space for datasets and checkpoints; DJL unpacks its native libraries into DJL_CACHE_DIR
# (from the jars in lib/, never from the network: -Dai.djl.offline=true below).
ENV CANTOR_WORK_DIR=/var/lib/cantor/work \
    DJL_CACHE_DIR=/var/lib/cantor/djl
USER 10001:10001
WORKDIR /var/lib/cantor
# 9101: the agent's /metrics and /health/live. The agent opens no other port: it only calls the schedulers.
EXPOSE 9101
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:9101/health/live || exit 1
# Tensors live off-heap in libtorch, so the Java heap keeps a small share of the memory limit.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=25.0", "-XX:+ExitOnOutOfMemoryError", "-Dai.djl.offline=true", \
  "-jar", "/opt/cantor/cantor-agent.jar"]
# The scheduler URL and token come from CANTOR_SCHEDULER_URL and CANTOR_AGENT_TOKEN.
CMD ["--device", "cpu", "--metrics-port", "9101"]
