package io.cantor.scheduler.store.hazelcast;

import com.hazelcast.map.IMap;
import io.cantor.model.Job;
import io.cantor.model.JobResult;
import io.cantor.model.Progress;
import io.cantor.model.RetryBackoff;
import io.cantor.scheduler.store.JobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@link JobStore} on a Hazelcast {@link IMap}: every change is an entry processor submitted to
 * the job's partition ({@code submitToKey}), never get-modify-put.
 */
public final class HazelcastJobStore implements JobStore {
    public static final String MAP = "jobs";

    private final Vertx vertx;
    private final IMap<String, Job> jobs;
    private final InstantSource clock;
    private final Duration leaseTimeout;
    private final RetryBackoff backoff;

    public HazelcastJobStore(Vertx vertx, IMap<String, Job> jobs, InstantSource clock, Duration leaseTimeout,
                             RetryBackoff backoff) {
        this.vertx = vertx;
        this.jobs = jobs;
        this.clock = clock;
        this.leaseTimeout = leaseTimeout;
        this.backoff = backoff;
    }

    @Override
    public Future<Job> enqueue(Job job) {
        // Ids are fresh time-ordered UUIDs: a plain set skips the read-through that putIfAbsent would cost.
        return future(jobs.setAsync(job.id(), job)).map(v -> job);
    }

    @Override
    public Future<Optional<Job>> find(String jobId) {
        return future(jobs.getAsync(jobId)).map(Optional::ofNullable);
    }

    @Override
    public Future<Job> claim(String jobId, String nodeId, List<Integer> gpus) {
        return run(jobId, new JobProcessors.Claim(clock.instant(), nodeId, gpus, leaseTimeout));
    }

    @Override
    public Future<HeartbeatOutcome> heartbeat(String jobId, long token, Progress progress) {
        return future(jobs.submitToKey(jobId, new JobProcessors.Heartbeat(clock.instant(), token, progress, leaseTimeout)))
                .map(outcome -> new HeartbeatOutcome(outcome.jobOrThrow(jobId), outcome.code() == Outcome.Code.CANCELLED));
    }

    @Override
    public Future<Job> complete(String jobId, long token, JobResult result) {
        return run(jobId, new JobProcessors.Complete(clock.instant(), token, result));
    }

    @Override
    public Future<Job> checkpointed(String jobId, long token, int epoch) {
        return run(jobId, new JobProcessors.Checkpointed(clock.instant(), token, epoch));
    }

    @Override
    public Future<Job> fail(String jobId, long token, String reason, boolean retryable) {
        return run(jobId, new JobProcessors.Fail(clock.instant(), token, reason, retryable, backoff));
    }

    @Override
    public Future<Job> cancel(String jobId, String reason) {
        return run(jobId, new JobProcessors.Cancel(clock.instant(), reason));
    }

    @Override
    public Future<Optional<Job>> requeueExpired(String jobId) {
        return future(jobs.submitToKey(jobId, new JobProcessors.ExpireLease(clock.instant(), backoff)))
                .map(outcome -> outcome.code() == Outcome.Code.APPLIED ? Optional.of(outcome.jobOrThrow(jobId)) : Optional.empty());
    }

    private Future<Job> run(String jobId, JobProcessors.JobProcessor processor) {
        return future(jobs.submitToKey(jobId, processor)).map(outcome -> outcome.jobOrThrow(jobId));
    }

    private <T> Future<T> future(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
    }
}
