package io.cantor.scheduler.config;

import java.time.Duration;

/**
 * What a tenant may send and keep.
 *
 * @param maxFileBytes        one recording
 * @param maxFiles            recordings per upload
 * @param minTotalSeconds     audio per dataset, at least (too little speech trains nothing)
 * @param maxTotalSeconds     audio per dataset, at most
 * @param minSampleRate       lowest accepted sample rate (Hz)
 * @param maxSampleRate       highest accepted sample rate (Hz)
 * @param submitsPerSecond    sustained submissions per tenant (token bucket refill)
 * @param submitBurst         submissions a tenant may make at once (bucket size)
 * @param maxQueuedPerTenant  queued jobs per tenant
 * @param retention           recordings and models are deleted this long after upload / the job's end; null keeps them
 */
public record Limits(long maxFileBytes, int maxFiles, double minTotalSeconds, double maxTotalSeconds, int minSampleRate,
                     int maxSampleRate, double submitsPerSecond, int submitBurst, int maxQueuedPerTenant,
                     Duration retention) {

    public static final Limits DEFAULTS = new Limits(256L * 1024 * 1024, 200, 10, 2 * 3600, 8000, 192_000, 50, 200,
            10_000, null);

    public Limits withAudio(double minSeconds, double maxSeconds) {
        return new Limits(maxFileBytes, maxFiles, minSeconds, maxSeconds, minSampleRate, maxSampleRate, submitsPerSecond,
                submitBurst, maxQueuedPerTenant, retention);
    }

    public Limits withSubmits(double perSecond, int burst, int maxQueued) {
        return new Limits(maxFileBytes, maxFiles, minTotalSeconds, maxTotalSeconds, minSampleRate, maxSampleRate,
                perSecond, burst, maxQueued, retention);
    }

    public Limits withFiles(long maxBytes, int max) {
        return new Limits(maxBytes, max, minTotalSeconds, maxTotalSeconds, minSampleRate, maxSampleRate, submitsPerSecond,
                submitBurst, maxQueuedPerTenant, retention);
    }

    public Limits withRetention(Duration keep) {
        return new Limits(maxFileBytes, maxFiles, minTotalSeconds, maxTotalSeconds, minSampleRate, maxSampleRate,
                submitsPerSecond, submitBurst, maxQueuedPerTenant, keep);
    }
}
