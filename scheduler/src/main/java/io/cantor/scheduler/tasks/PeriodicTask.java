package io.cantor.scheduler.tasks;

import io.vertx.core.Future;

import java.time.Duration;

/** One small job a node does again and again (reap leases, watch node liveness, ...). */
public interface PeriodicTask {
    String name();

    Duration period();

    /** One round; the next starts only after this future completes. */
    Future<?> runOnce();
}
