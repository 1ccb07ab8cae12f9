package io.cantor.scheduler.notify;

import java.time.Duration;

/** When to try a failed delivery again, and when to give up: exponential, capped, bounded in total. */
public record DeliveryBackoff(Duration initial, Duration max, Duration giveUpAfter) {

    /** Delay after the {@code failures}-th failed attempt (1-based). */
    public Duration delayAfter(int failures) {
        double millis = initial.toMillis() * Math.pow(2, Math.max(0, failures - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }

    public boolean givesUp(long firstFailureAtMillis, long nowMillis) {
        return firstFailureAtMillis > 0 && nowMillis - firstFailureAtMillis >= giveUpAfter.toMillis();
    }
}
