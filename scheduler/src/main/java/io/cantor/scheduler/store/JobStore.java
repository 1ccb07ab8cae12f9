package io.cantor.scheduler.store;

import io.cantor.model.Job;
import io.cantor.model.JobResult;
import io.cantor.model.Progress;
import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * The job store, named by what the scheduler does with jobs. Every verb is atomic on one job
 * and either applies the change or fails with a {@link io.cantor.model.JobRejectedException},
 * {@link JobNotFoundException} or {@link NotClaimableException}, changing nothing.
 * All futures complete on the caller's context.
 */
public interface JobStore {

    /** Stores a new QUEUED job. */
    Future<Job> enqueue(Job job);

    Future<Optional<Job>> find(String jobId);

    /** Compare-and-set: assigns the job to the node only if it is QUEUED and due now. */
    Future<Job> claim(String jobId, String nodeId, List<Integer> gpus);

    /** Extends the lease of the holder of {@code token}; tells it to stop if the job was cancelled. */
    Future<HeartbeatOutcome> heartbeat(String jobId, long token, Progress progress);

    Future<Job> complete(String jobId, long token, JobResult result);

    /** The holder stored a checkpoint after {@code epoch} ({@code job.checkpointed}). */
    Future<Job> checkpointed(String jobId, long token, int epoch);

    /** Requeues (retryable, attempts left) or fails the job. */
    Future<Job> fail(String jobId, long token, String reason, boolean retryable);

    Future<Job> cancel(String jobId, String reason);

    /** Requeues or fails the job if its lease has run out; empty if it has not (or the job is gone). */
    Future<Optional<Job>> requeueExpired(String jobId);

    /** What a heartbeat found: the job after the heartbeat, or a cancelled job whose agent must stop. */
    record HeartbeatOutcome(Job job, boolean cancelled) {
    }
}
