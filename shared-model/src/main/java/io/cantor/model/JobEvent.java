package io.cantor.model;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened to a job, recorded by the transition that caused it, so the event
 * exists exactly when the change does. {@code seq} counts a job's events from 1 with no gaps.
 *
 * @param type one of {@link #QUEUED}, {@link #STARTED}, {@link #PROGRESS}, {@link #CHECKPOINTED},
 *             {@link #REQUEUED}, {@link #SUCCEEDED}, {@link #FAILED}, {@link #CANCELLED}
 */
public record JobEvent(long seq, String type, Instant time, JobState state, int attempt, String node, String reason,
                       Progress progress, Map<String, Double> metrics, int checkpointEpoch) {

    public static final String QUEUED = "job.queued";
    public static final String STARTED = "job.started";
    public static final String PROGRESS = "job.progress";
    public static final String CHECKPOINTED = "job.checkpointed";
    public static final String REQUEUED = "job.requeued";
    public static final String SUCCEEDED = "job.succeeded";
    public static final String FAILED = "job.failed";
    public static final String CANCELLED = "job.cancelled";

    public JobEvent {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    public boolean endsJob() {
        return SUCCEEDED.equals(type) || FAILED.equals(type) || CANCELLED.equals(type);
    }

    /** The id a client sees: unique across jobs, stable across redeliveries. */
    public String id(String jobId) {
        return jobId + ":" + seq;
    }
}
