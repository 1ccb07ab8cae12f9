package io.cantor.scheduler.queue;

import io.cantor.model.Job;
import io.cantor.model.JobState;
import io.cantor.model.ResourceRequest;

import java.util.Map;

/**
 * This member's latest verdict on which resource shapes no registered agent could ever run, and
 * why. A queued job of such a shape shows the note as its {@code reason} when it is read. The
 * verdict is derived, not stored on the jobs: one placement check rewrites it for every queued
 * job at once, and it is gone the moment a fitting agent registers.
 */
public final class Placement {
    public static final String UNSCHEDULABLE = "unschedulable: ";

    private volatile Map<ResourceRequest, String> unplaceable = Map.of();

    /** The job's own reason, or the unschedulable note if it waits for a shape no agent offers. */
    public String reasonFor(Job job) {
        if (job.state() != JobState.QUEUED) {
            return job.reason();
        }
        String note = unplaceable.get(job.spec().resources());
        return note != null ? note : job.reason();
    }

    void update(Map<ResourceRequest, String> notes) {
        unplaceable = Map.copyOf(notes);
    }
}
