package io.cantor.model;

/** A command on a job that its current value refuses; nothing was changed. */
public abstract sealed class JobRejectedException extends RuntimeException
        permits IllegalTransitionException, StaleLeaseException {
    private final String jobId;

    protected JobRejectedException(String jobId, String message) {
        super(message, null, false, false);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
