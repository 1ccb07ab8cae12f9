package io.cantor.model.agent;

import io.cantor.model.Job;
import io.cantor.model.Progress;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The agent protocol's bodies, one record per message. Every call after a claim carries the lease token. */
public final class AgentMessages {
    private AgentMessages() {
    }

    /** Header that carries the lease token on every call about a claimed job. */
    public static final String LEASE_TOKEN_HEADER = "Cantor-Lease-Token";

    public record RegisterRequest(String nodeId, Capabilities capabilities, String agentVersion) {
    }

    public record RegisterResponse(String nodeId, long heartbeatIntervalMs, long leaseTimeoutMs) {
    }

    /** Long poll for work. {@code freeGpus} are the GPU indices the agent has idle right now. */
    public record ClaimRequest(String nodeId, List<Integer> freeGpus, long waitMs) {
    }

    /** The file list of the dataset, fetched over HTTP with the lease token. */
    public record DatasetFile(String name, long bytes, String sha256, String url) {
    }

    /** A claimed job, its lease, and where to fetch its inputs (dataset, checkpoint, base model). */
    public record Assignment(Job job, long token, Instant leaseExpiresAt, long heartbeatIntervalMs,
                             List<DatasetFile> files, String checkpointUrl, String baseModelUrl, String modelUrl) {
    }

    /** {@code logLines}: training log lines since the last heartbeat (may be empty). */
    public record HeartbeatRequest(Progress progress, List<String> logLines) {
        public HeartbeatRequest {
            logLines = logLines == null ? List.of() : List.copyOf(logLines);
        }
    }

    /** Header on a checkpoint upload: the epoch after which it was taken. */
    public static final String CHECKPOINT_EPOCH_HEADER = "Cantor-Checkpoint-Epoch";

    /** Header on a blob download: the body's SHA-256 (hex), so a receiver can check what arrived. */
    public static final String SHA256_HEADER = "X-Content-SHA256";

    /** {@code cancelled}: stop now, the job was cancelled; upload nothing more. */
    public record HeartbeatResponse(boolean cancelled, Instant leaseExpiresAt) {
    }

    public record CompleteRequest(Map<String, Double> metrics) {
    }

    /** {@code retryable}: a transient cause (node trouble, out of memory); fatal otherwise (bad data). */
    public record FailRequest(String reason, boolean retryable) {
    }

    public record LogLines(List<String> lines) {
    }
}
