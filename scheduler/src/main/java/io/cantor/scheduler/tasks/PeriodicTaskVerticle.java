package io.cantor.scheduler.tasks;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a {@link PeriodicTask} on its own context, one round at a time, logging (not swallowing) failures. */
public final class PeriodicTaskVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTaskVerticle.class);

    private final PeriodicTask task;
    private long timer = -1;
    private boolean stopped;

    public PeriodicTaskVerticle(PeriodicTask task) {
        this.task = task;
    }

    @Override
    public Future<?> start() {
        schedule();
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
    }

    private void schedule() {
        if (!stopped) {
            timer = vertx.setTimer(Math.max(1, task.period().toMillis()), t -> round());
        }
    }

    private void round() {
        Future<?> round;
        try {
            round = task.runOnce();
        } catch (RuntimeException e) {
            round = Future.failedFuture(e);
        }
        round.onComplete(ar -> {
            if (ar.failed() && !stopped) {
                LOG.warn("{} round failed; trying again in {}", task.name(), task.period(), ar.cause());
            }
            schedule();
        });
    }
}
