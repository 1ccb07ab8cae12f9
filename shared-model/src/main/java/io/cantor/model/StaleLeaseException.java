package io.cantor.model;

/**
 * A call carried a lease token that is not the current attempt's: the caller is a zombie whose
 * lease was lost and whose job moved on. Fencing refuses it and changes nothing.
 */
public final class StaleLeaseException extends JobRejectedException {
    private final long presented;
    private final long current;

    public StaleLeaseException(String jobId, long presented, long current) {
        super(jobId, "lease token " + presented + " of job " + jobId + " is stale (current attempt " + current + ")");
        this.presented = presented;
        this.current = current;
    }

    public long presented() {
        return presented;
    }

    public long current() {
        return current;
    }
}
