# syntax=docker/dockerfile:1
# Cantor agent for NVIDIA GPU nodes: CUDA 12.8 runtime + Temurin 17 JRE + libtorch 2.7.1 (cu128).
# Build from the repository root (the build downloads libtorch, about 3 GB unpacked):
#   docker build -f deploy/docker/agent-gpu.Dockerfile -t cantor/agent-gpu:dev .
# Run it with the NVIDIA container toolkit (docker run --gpus all ..., or nvidia.com/gpu in Kubernetes);
# the toolkit mounts the host driver and nvidia-smi, which the agent uses to find its GPUs.
# The running container downloads nothing.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -DskipTests package -pl node-agent -am

# libtorch in its own stage: the zip and unzip never reach the runtime image.
FROM ubuntu:22.04 AS libtorch
ARG LIBTORCH_URL=https://download.pytorch.org/libtorch/cu128/libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip
# Optional: pin the download (docker build --build-arg LIBTORCH_SHA256=...); empty skips the check.
ARG LIBTORCH_SHA256=
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl unzip \
 && rm -rf /var/lib/apt/lists/*
RUN curl -fSL --retry 3 -o /tmp/libtorch.zip "$LIBTORCH_URL" \
 && if [ -n "$LIBTORCH_SHA256" ]; then echo "$LIBTORCH_SHA256  /tmp/libtorch.zip" | sha256sum -c -; fi \
 && unzip -q /tmp/libtorch.zip -d /opt \
 && rm /tmp/libtorch.zip \
 && rm -rf /opt/libtorch/include /opt/libtorch/share \
 && test -f /opt/libtorch/lib/libtorch_cuda.so

FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04
# Temurin's Linux builds run on any glibc-based distribution, so the JRE is copied from its official image.
ENV JAVA_HOME=/opt/java/openjdk \
    LANG=C.UTF-8
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=eclipse-temurin:17-jre /opt/java/openjdk /opt/java/openjdk
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && java -version
# libtorch without its headers and cmake files (removed above): only the shared libraries run.
COPY --from=libtorch /opt/libtorch /opt/libtorch
# DJL's PyTorch engine loads this libtorch instead of downloading one. Its JNI glue comes from
# lib/pytorch-jni-2.7.1-0.36.0.jar (ai.djl.pytorch:pytorch-jni, built for PyTorch 2.7.1): that jar carries
# jnilib/linux-x86_64/cu128/libdjl_torch.so, which DJL extracts into DJL_CACHE_DIR on first start, offline.
# lib/ also holds pytorch-native-cpu (the CPU libtorch); with PYTORCH_LIBRARY_PATH set DJL does not use it.
ENV PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128
RUN groupadd --system --gid 10001 cantor \
 && useradd --system --uid 10001 --gid cantor --home-dir /var/lib/cantor --shell /usr/sbin/nologin cantor \
 && mkdir -p /var/lib/cantor/work /var/lib/cantor/djl \
 && chown -R cantor:cantor /var/lib/cantor
COPY --from=build /src/node-agent/target/lib/ /opt/cantor/lib/
COPY --from=build /src/node-agent/target/cantor-agent.jar /opt/cantor/cantor-agent.jar
ENV CANTOR_WORK_DIR=/var/lib/cantor/work \
    DJL_CACHE_DIR=/var/lib/cantor/djl
USER 10001:10001
WORKDIR /var/lib/cantor
EXPOSE 9101
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:9101/health/live || exit 1
# Tensors live in GPU memory or off-heap in libtorch, so the Java heap keeps a small share of the memory limit.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=25.0", "-XX:+ExitOnOutOfMemoryError", "-Dai.djl.offline=true", \
  "-jar", "/opt/cantor/cantor-agent.jar"]
# --device auto: one job per GPU that nvidia-smi lists.
CMD ["--device", "auto", "--metrics-port", "9101"]
