package io.cantor.model;

/** A state change that the transition table does not allow, e.g. completing a cancelled job. */
public final class IllegalTransitionException extends JobRejectedException {
    private final JobState from;
    private final JobState to;

    public IllegalTransitionException(String jobId, JobState from, JobState to) {
        super(jobId, "job " + jobId + " cannot go from " + from + " to " + to);
        this.from = from;
        this.to = to;
    }

    public JobState from() {
        return from;
    }

    public JobState to() {
        return to;
    }
}
