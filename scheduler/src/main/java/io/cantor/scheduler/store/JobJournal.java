package io.cantor.scheduler.store;

import io.cantor.model.Job;
import io.cantor.model.JobState;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable record of every job's latest value. Hazelcast writes through it on every change
 * (MapStore), so stopping the whole cluster loses nothing; it also answers the questions that an
 * in-memory map answers badly: listing a tenant's jobs page by page, finding expired leases.
 * Blocking: call it from worker or partition threads, never from an event loop.
 */
public interface JobJournal {

    void record(Job job);

    void recordAll(Collection<Job> jobs);

    void erase(String jobId);

    Optional<Job> load(String jobId);

    Map<String, Job> loadAll(Collection<String> jobIds);

    /** Ids of jobs that are not terminal: what a cold cluster loads into memory. */
    List<String> unfinishedJobIds();

    /** Jobs in {@code QUEUED} state, oldest first, for rebuilding a node's queue index. */
    List<Job> queuedJobs();

    /** Jobs whose lease ran out before {@code now}. */
    List<String> expiredLeases(Instant now, int limit);

    /**
     * A page of a tenant's jobs, newest first. {@code after} is the last id of the previous page
     * (ids sort by creation time); {@code state} may be null for all states.
     */
    List<Job> page(String tenant, JobState state, String after, int limit);

    /** Ids of jobs that ended (terminal state) in {@code [from, to)}. */
    List<String> finishedBetween(Instant from, Instant to, int limit);

    /**
     * The version of each job changed at or after {@code from}, oldest change first: after a member
     * dies, the journal may hold a write that never reached the member's backups. Not indexed: it
     * runs once per lost member, not per request.
     */
    Map<String, Long> versionsChangedSince(Instant from, int limit);

    /** Jobs per (tenant, state), for metrics. */
    Map<String, Map<JobState, Long>> countByTenantAndState();
}
