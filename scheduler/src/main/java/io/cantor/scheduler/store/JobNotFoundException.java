package io.cantor.scheduler.store;

public final class JobNotFoundException extends RuntimeException {
    public JobNotFoundException(String jobId) {
        super("no job " + jobId, null, false, false);
    }
}
