package io.cantor.model;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The one table of legal state changes. Pure: no clock, no job, just states. */
public final class JobStateTransitions {

    private static final Map<JobState, Set<JobState>> ALLOWED = new EnumMap<>(JobState.class);

    static {
        ALLOWED.put(JobState.QUEUED, EnumSet.of(JobState.ASSIGNED, JobState.CANCELLED, JobState.FAILED));
        ALLOWED.put(JobState.ASSIGNED, EnumSet.of(JobState.RUNNING, JobState.QUEUED, JobState.SUCCEEDED,
                JobState.FAILED, JobState.CANCELLED));
        ALLOWED.put(JobState.RUNNING, EnumSet.of(JobState.QUEUED, JobState.SUCCEEDED, JobState.FAILED,
                JobState.CANCELLED));
        ALLOWED.put(JobState.SUCCEEDED, EnumSet.noneOf(JobState.class));
        ALLOWED.put(JobState.FAILED, EnumSet.noneOf(JobState.class));
        ALLOWED.put(JobState.CANCELLED, EnumSet.noneOf(JobState.class));
    }

    private JobStateTransitions() {
    }

    public static boolean isAllowed(JobState from, JobState to) {
        return ALLOWED.get(from).contains(to);
    }

    /** Throws {@link IllegalTransitionException} unless {@code from -> to} is in the table. */
    public static void require(String jobId, JobState from, JobState to) {
        if (!isAllowed(from, to)) {
            throw new IllegalTransitionException(jobId, from, to);
        }
    }
}
