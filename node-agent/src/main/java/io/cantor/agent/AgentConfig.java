package io.cantor.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How an agent node runs.
 *
 * @param schedulerUrl any scheduler node (or a load balancer in front of them)
 * @param token        the agent token; opens only {@code /agent/v1/*}
 * @param device       {@code auto} (GPUs when found), or {@code cpu} to ignore GPUs
 * @param drainTimeout on SIGTERM, how long running jobs may go on before they are handed back
 * @param nvidiaSmi    the nvidia-smi binary that reports GPUs (NVML), by default the one on the PATH
 * @param caCert       PEM certificate(s) to trust for an https scheduler URL, beside the JDK's; null for none
 * @param contentEncoder a TorchScript HuBERT/ContentVec file for content features; null for the built-in
 *                       encoders (no download; see rvc-train/RVC.md)
 */
public record AgentConfig(URI schedulerUrl, String token, String nodeId, Path workDir, int metricsPort,
                          String device, Map<String, String> labels, Duration claimWait, Duration drainTimeout,
                          String nvidiaSmi, String caCert, Path contentEncoder) {
    public AgentConfig {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        nvidiaSmi = nvidiaSmi == null ? "nvidia-smi" : nvidiaSmi;
    }
}
