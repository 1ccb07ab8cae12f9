package io.cantor.scheduler.events;

import io.cantor.model.JobEvent;

import java.util.List;

/**
 * A job's events as kept in the cluster: every event up to {@code lastSeq}, minus the oldest
 * progress events once there are more than {@link #LIMIT} (state changes are never dropped).
 */
public record JobHistory(String tenant, long lastSeq, List<JobEvent> events) {
    public static final int LIMIT = 1000;

    public JobHistory {
        events = List.copyOf(events);
    }
}
