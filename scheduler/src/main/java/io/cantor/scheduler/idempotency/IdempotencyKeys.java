package io.cantor.scheduler.idempotency;

import com.hazelcast.map.IMap;
import io.cantor.scheduler.store.JobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code Idempotency-Key} on submission: the same key from the same tenant yields the same job.
 * A request reserves the key, stores the job, then commits the key; a retry finds the committed
 * job. A request that died between reserving and committing leaves a reservation that a retry
 * may take over once it is {@link #STALE} and its job provably does not exist (or it commits the
 * job it finds). Keys live in a journaled cluster map, so they survive restarts.
 */
public final class IdempotencyKeys {
    public static final String MAP = "idempotency";
    static final Duration STALE = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final IMap<String, Reservation> keys;
    private final JobStore jobs;
    private final InstantSource clock;

    public IdempotencyKeys(Vertx vertx, IMap<String, Reservation> keys, JobStore jobs, InstantSource clock) {
        this.vertx = vertx;
        this.keys = keys;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * Empty when the key is now this request's (it creates {@code jobId}); otherwise the
     * reservation that holds it: committed (replay its job) or in progress (try again later).
     */
    public Future<Optional<Reservation>> reserve(String tenant, String key, String jobId) {
        String id = id(tenant, key);
        return future(keys.submitToKey(id, new ReservationProcessors.Reserve(jobId, clock.millis())))
                .compose(existing -> {
                    if (existing == null) {
                        return Future.succeededFuture(Optional.<Reservation>empty());
                    }
                    if (existing.committed() || clock.millis() - existing.reservedAtMillis() < STALE.toMillis()) {
                        return Future.succeededFuture(Optional.of(existing));
                    }
                    return jobs.find(existing.jobId()).compose(job -> job.isPresent()
                            // The job was stored, only the commit was lost: commit it now.
                            ? commit(tenant, key, existing.jobId()).map(v -> Optional.of(
                                    new Reservation(existing.jobId(), existing.reservedAtMillis(), true)))
                            : future(keys.submitToKey(id, new ReservationProcessors.TakeOver(existing.jobId(), jobId,
                                    clock.millis()))).map(now -> now.jobId().equals(jobId)
                                    ? Optional.<Reservation>empty() : Optional.of(now)));
                });
    }

    public Future<Void> commit(String tenant, String key, String jobId) {
        return future(keys.submitToKey(id(tenant, key), new ReservationProcessors.Commit(jobId))).mapEmpty();
    }

    public Future<Void> release(String tenant, String key, String jobId) {
        return future(keys.submitToKey(id(tenant, key), new ReservationProcessors.Release(jobId))).mapEmpty();
    }

    private static String id(String tenant, String key) {
        return tenant + "\n" + key;
    }

    private <T> Future<T> future(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
    }
}
