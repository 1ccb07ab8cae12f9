package io.cantor.scheduler.notify;

import java.util.List;

/**
 * The events still owed to one target for one job, oldest first; only the head is in flight, so
 * per-job order holds. {@code lastQueuedSeq} makes enqueueing idempotent.
 *
 * @param address        the URL or e-mail address
 * @param attempts       failed attempts of the head so far
 * @param firstFailureAt when the head first failed (millis; 0 if it has not)
 * @param nextAttemptAt  when the head may be tried (millis)
 */
public record DeliveryQueue(String targetId, Channel channel, String address, String tenant, String jobId,
                            List<Pending> pending, long lastQueuedSeq, int attempts, long firstFailureAt,
                            long nextAttemptAt) {

    public DeliveryQueue {
        pending = List.copyOf(pending);
    }

    /** One event to deliver: its id ({@code jobId:seq}), type, seq and the JSON body. */
    public record Pending(String eventId, String type, long seq, String body) {
    }

    public boolean isDueAt(long nowMillis) {
        return !pending.isEmpty() && nextAttemptAt <= nowMillis;
    }
}
