package io.cantor.scheduler.notify;

import java.util.List;

/** A target's recent delivery attempts, oldest first. */
public record DeliveryLog(List<DeliveryAttempt> attempts) {
    public static final int LIMIT = 500;

    public DeliveryLog {
        attempts = List.copyOf(attempts);
    }
}
