package io.cantor.model.util;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to: tests move time instead of sleeping. Thread-safe. */
public final class SettableClock implements InstantSource {
    private final AtomicLong millis;

    public SettableClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    public void advance(Duration by) {
        millis.addAndGet(by.toMillis());
    }

    public void set(Instant to) {
        millis.set(to.toEpochMilli());
    }
}
