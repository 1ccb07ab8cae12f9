package io.cantor.model;

import java.time.Duration;

/**
 * Exponential backoff before a requeued job may run again: {@code initial * multiplier^(attempt-1)},
 * capped at {@code max}. A small policy object so that the rule lives in one place.
 */
public record RetryBackoff(Duration initial, double multiplier, Duration max) {

    public static final RetryBackoff DEFAULT = new RetryBackoff(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(5));
    public static final RetryBackoff NONE = new RetryBackoff(Duration.ZERO, 1.0, Duration.ZERO);

    public RetryBackoff {
        if (initial.isNegative() || max.isNegative() || multiplier < 1.0) {
            throw new IllegalArgumentException("backoff needs initial >= 0, max >= 0, multiplier >= 1");
        }
    }

    /** Delay after the given (1-based) failed attempt. */
    public Duration delayAfter(int attempt) {
        double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }
}
