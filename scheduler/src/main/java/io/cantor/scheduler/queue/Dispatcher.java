package io.cantor.scheduler.queue;

import io.cantor.model.AgentNode;
import io.cantor.model.Job;
import io.cantor.model.ResourceRequest;
import io.cantor.scheduler.store.JobStore;
import io.cantor.scheduler.store.NotClaimableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Hands queued jobs to agents that long-poll for work. Keeps this node's {@link QueueIndex}
 * (fed by cluster events) and the parked claims; all of that state lives on one context, so it
 * needs no locks. The decision is local, the commitment global: a pick becomes a claim only
 * through the store's compare-and-set, so two nodes picking the same job cannot both win.
 */
public final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int MAX_LOST_RACES_PER_CLAIM = 64;

    private final Vertx vertx;
    private final Context context;
    private final QueueIndex index;
    private final JobStore store;
    private final InstantSource clock;
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private final DispatchMetrics metrics;
    private long dueTimer = -1;
    private long dueAt = Long.MAX_VALUE;

    /** @param context the context that owns the index; every method hops onto it */
    public Dispatcher(Vertx vertx, Context context, QueueIndex index, JobStore store, InstantSource clock,
                      DispatchMetrics metrics) {
        this.vertx = vertx;
        this.context = context;
        this.index = index;
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Claims a job for {@code node} on its free GPUs, waiting up to {@code wait} for one to come.
     * Completes with empty when none came; completes on the caller's context.
     */
    public Future<Optional<Job>> claim(AgentNode node, List<Integer> freeGpus, Duration wait, Future<?> givenUp) {
        Context caller = vertx.getOrCreateContext();
        Promise<Optional<Job>> result = Promise.promise();
        context.runOnContext(v -> {
            Waiter waiter = new Waiter(node, freeGpus, result);
            // An agent that hung up must not be handed a job it will never hear of.
            givenUp.onComplete(ignored -> context.runOnContext(x -> expire(waiter)));
            serve(waiter, () -> park(waiter, wait));
        });
        return onContext(caller, result.future());
    }

    /** A job's latest value, from a cluster event or a local change. */
    public void observe(Job job) {
        context.runOnContext(v -> {
            if (index.apply(job, clock.millis())) {
                serveWaiters();
            }
            scheduleDueTimer();
        });
    }

    /**
     * A node stopped accepting work (drained, cordoned, lost): its parked claims end empty-handed
     * now, so that no job is handed to it after the change.
     */
    public void nodeStoppedAccepting(String nodeId) {
        context.runOnContext(v -> {
            for (Waiter waiter : List.copyOf(waiters)) {
                if (waiter.node.id().equals(nodeId)) {
                    expire(waiter);
                }
            }
        });
    }

    /** Runs {@code action} with the index on its own context (for loading and for metrics). */
    public <T> Future<T> withIndex(java.util.function.Function<QueueIndex, T> action) {
        Context caller = vertx.getOrCreateContext();
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> {
            try {
                result.complete(action.apply(index));
            } catch (RuntimeException e) {
                result.fail(e);
            }
        });
        return onContext(caller, result.future());
    }

    /** Parked claims whose agents wait for work now. */
    public Future<Integer> waitingAgents() {
        return withIndex(i -> waiters.size());
    }

    /** Tries to give the waiter a job; runs {@code onNothing} if the index has nothing for it. */
    private void serve(Waiter waiter, Runnable onNothing) {
        serve(waiter, onNothing, 0);
    }

    private void serve(Waiter waiter, Runnable onNothing, int lostRaces) {
        QueueIndex.Entry entry = index.poll(shape -> fits(waiter, shape), clock.millis());
        if (entry == null) {
            onNothing.run();
            return;
        }
        List<Integer> gpus = waiter.node.capabilities().pickGpus(entry.resources(), waiter.freeGpus);
        waiter.busy = true;
        long started = System.nanoTime();
        store.claim(entry.jobId(), waiter.node.id(), gpus).onComplete(ar -> {
            waiter.busy = false;
            if (ar.succeeded()) {
                metrics.claimed(ar.result(), System.nanoTime() - started);
                waiter.finish(Optional.of(ar.result()));
                vertx.cancelTimer(waiter.timer);
            } else if (ar.cause() instanceof NotClaimableException && lostRaces < MAX_LOST_RACES_PER_CLAIM) {
                metrics.lostRace();
                serve(waiter, onNothing, lostRaces + 1);
            } else {
                if (!(ar.cause() instanceof NotClaimableException)) {
                    LOG.warn("claim of job {} failed", entry.jobId(), ar.cause());
                }
                onNothing.run();
            }
        });
    }

    private boolean fits(Waiter waiter, ResourceRequest shape) {
        return waiter.node.capabilities().fits(shape, waiter.freeGpus);
    }

    private void park(Waiter waiter, Duration wait) {
        if (waiter.done) {
            return;
        }
        if (waiter.expired || wait.isZero() || wait.isNegative()) {
            waiter.finish(Optional.empty());
            return;
        }
        waiters.addLast(waiter);
        waiter.timer = vertx.setTimer(Math.max(1, wait.toMillis()), t -> context.runOnContext(v -> expire(waiter)));
    }

    /** The wait is over: answer "nothing" now, or when a claim in flight for it loses. */
    private void expire(Waiter waiter) {
        waiter.expired = true;
        waiters.remove(waiter);
        if (!waiter.busy) {
            waiter.finish(Optional.empty());
        }
    }

    /** New work arrived: offer it to parked claims in the order they came. */
    private void serveWaiters() {
        List<Waiter> queue = new ArrayList<>(waiters);
        waiters.clear();
        for (Waiter waiter : queue) {
            if (waiter.done) {
                continue;
            }
            if (waiter.busy || index.size() == 0) {
                waiters.addLast(waiter);
                continue;
            }
            serve(waiter, () -> {
                if (waiter.expired) {
                    waiter.finish(Optional.empty());
                } else if (!waiter.done) {
                    waiters.addLast(waiter);
                }
            });
        }
    }

    /** Wakes parked claims when the next backed-off job becomes due. */
    private void scheduleDueTimer() {
        OptionalLong next = index.nextDueMillis();
        if (next.isEmpty() || next.getAsLong() >= dueAt) {
            return;
        }
        if (dueTimer >= 0) {
            vertx.cancelTimer(dueTimer);
        }
        dueAt = next.getAsLong();
        dueTimer = vertx.setTimer(Math.max(1, dueAt - clock.millis()), t -> context.runOnContext(v -> {
            dueTimer = -1;
            dueAt = Long.MAX_VALUE;
            if (index.promoteDue(clock.millis()) > 0) {
                serveWaiters();
            }
            scheduleDueTimer();
        }));
    }

    private static <T> Future<T> onContext(Context target, Future<T> future) {
        Promise<T> hop = Promise.promise();
        future.onComplete(ar -> target.runOnContext(v -> hop.handle(ar)));
        return hop.future();
    }

    private static final class Waiter {
        final AgentNode node;
        final List<Integer> freeGpus;
        final Promise<Optional<Job>> result;
        long timer = -1;
        boolean busy;
        boolean expired;
        boolean done;

        Waiter(AgentNode node, List<Integer> freeGpus, Promise<Optional<Job>> result) {
            this.node = node;
            this.freeGpus = List.copyOf(freeGpus);
            this.result = result;
        }

        void finish(Optional<Job> job) {
            if (!done) {
                done = true;
                result.complete(job);
            }
        }
    }
}
