package io.cantor.scheduler.metrics;

import io.cantor.model.Job;
import io.cantor.model.JobEvent;
import io.cantor.scheduler.events.EventSink;
import io.vertx.core.Future;

import java.util.List;

/** Counts jobs' events as they are relayed: each event is counted once, by one member. */
public final class MetricsSink implements EventSink {
    private final SchedulerMetrics metrics;

    public MetricsSink(SchedulerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Future<Void> accept(Job job, List<JobEvent> fresh) {
        fresh.forEach(event -> metrics.observe(job, event));
        return Future.succeededFuture();
    }
}
