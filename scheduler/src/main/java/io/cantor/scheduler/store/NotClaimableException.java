package io.cantor.scheduler.store;

/** Someone else claimed the job first, or it was cancelled or is not due yet: the claim lost the race. */
public final class NotClaimableException extends RuntimeException {
    public NotClaimableException(String jobId) {
        super("job " + jobId + " is no longer claimable", null, false, false);
    }
}
