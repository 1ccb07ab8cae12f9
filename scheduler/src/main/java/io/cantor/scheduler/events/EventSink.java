package io.cantor.scheduler.events;

import io.cantor.model.Job;
import io.cantor.model.JobEvent;
import io.vertx.core.Future;

import java.util.List;

/** Something that reacts to a job's new events exactly when they first appear (webhooks, e-mail). */
public interface EventSink {
    /** Completes once the reaction is safely recorded (e.g. deliveries enqueued in the cluster). */
    Future<Void> accept(Job job, List<JobEvent> fresh);

    /**
     * A sink that ignores events it has already taken (by seq) is offered the job's whole outbox on
     * every relay, not only the events new to the history: the member that appended them may have
     * died before this sink took them.
     */
    default boolean takesEventsIdempotently() {
        return false;
    }
}
