package io.cantor.model;

/**
 * Where a job is in its life. The enum answers its own questions; which moves are legal is
 * decided in one place, {@link JobStateTransitions}.
 */
public enum JobState {
    QUEUED,
    ASSIGNED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** No transition leaves a terminal state. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** An agent holds a lease on the job: it must heartbeat or lose it. */
    public boolean holdsLease() {
        return this == ASSIGNED || this == RUNNING;
    }

    /** Whether a lost lease or a retryable failure may put the job back in the queue. */
    public boolean isRetriable() {
        return holdsLease();
    }
}
