package io.cantor.model;

import java.time.Instant;
import java.util.List;

/**
 * An agent's hold on a job. {@code token} is the fencing token: the attempt number that the
 * lease belongs to. {@code gpus} are the GPU indices on that node the job is pinned to.
 */
public record Lease(String nodeId, long token, Instant expiresAt, List<Integer> gpus) {
    public Lease {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
