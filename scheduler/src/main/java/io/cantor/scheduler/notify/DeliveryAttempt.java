package io.cantor.scheduler.notify;

import java.time.Instant;

/**
 * One line of a delivery log.
 *
 * @param outcome {@code delivered}, {@code retrying} (will be tried again) or {@code failed} (given up)
 */
public record DeliveryAttempt(String eventId, String type, String jobId, int attempt, Instant time, String outcome,
                              int status, String error, long millis) {
}
