package io.cantor.scheduler.idempotency;

/**
 * What an {@code Idempotency-Key} points at: the job a request is creating (or created) and when
 * the request reserved the key. {@code committed} once the job is stored.
 */
public record Reservation(String jobId, long reservedAtMillis, boolean committed) {
}
