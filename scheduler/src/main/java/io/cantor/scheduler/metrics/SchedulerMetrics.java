package io.cantor.scheduler.metrics;

import io.cantor.model.Job;
import io.cantor.model.JobEvent;
import io.cantor.model.JobState;
import io.cantor.scheduler.queue.DispatchMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduler's own series, in Prometheus conventions: {@code cantor_} prefix, base units,
 * {@code _total} counters. Counters of a job's life are counted from its events, once, by the
 * member that relays them; cluster-wide gauges (jobs, queue depth, agents, GPU demand) carry the
 * same value on every member (take {@code max} across members, not {@code sum}). Vert.x HTTP and
 * JVM series share the registry.
 */
public final class SchedulerMetrics implements DispatchMetrics {
    public static final String[] REQUEUE_REASONS = {"lease_lost", "retryable_failure", "agent_shutdown"};

    private final PrometheusMeterRegistry registry;
    private final Timer claimCas;
    private final Counter lostRaces;
    private final Counter claims;
    private final Timer jobWait;
    private final Counter leaseExpirations;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    public SchedulerMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        this.claimCas = Timer.builder("cantor_claim_cas")
                .description("Latency of the compare-and-set that commits a claim")
                .publishPercentileHistogram().register(registry);
        this.lostRaces = Counter.builder("cantor_claim_races_lost")
                .description("Claims whose compare-and-set found the job already taken or changed").register(registry);
        this.claims = Counter.builder("cantor_claims").description("Jobs handed to agents").register(registry);
        this.jobWait = Timer.builder("cantor_job_wait").description("From submission (or requeue) to claim")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofHours(6)).register(registry);
        this.leaseExpirations = Counter.builder("cantor_lease_expirations")
                .description("Leases lost because the agent stopped heartbeating").register(registry);
        for (String reason : REQUEUE_REASONS) {
            requeues(reason);
        }
        for (String outcome : new String[]{"delivered", "retrying", "failed"}) {
            Counter.builder("cantor_webhook_deliveries").description("Notification delivery attempts by outcome")
                    .tag("outcome", outcome).register(registry);
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Counts what a job's new events say; called once per event by the relaying member. */
    public void observe(Job job, JobEvent event) {
        switch (event.type()) {
            case JobEvent.QUEUED -> Counter.builder("cantor_jobs_submitted").description("Jobs accepted")
                    .tag("tenant", job.tenant()).register(registry).increment();
            case JobEvent.REQUEUED -> {
                String reason = requeueReason(event.reason());
                requeues(reason).increment();
                if (reason.equals("lease_lost")) {
                    leaseExpirations.increment();
                }
            }
            case JobEvent.SUCCEEDED, JobEvent.FAILED, JobEvent.CANCELLED -> {
                JobState state = event.state();
                Counter.builder("cantor_jobs_finished").description("Jobs that reached a terminal state")
                        .tag("tenant", job.tenant()).tag("state", state.name()).register(registry).increment();
                if (event.reason() != null && event.reason().startsWith("lease lost")) {
                    leaseExpirations.increment();
                }
                if (job.startedAt() != null) {
                    Timer.builder("cantor_job_duration").description("From start on an agent to the end")
                            .tag("state", state.name()).publishPercentileHistogram()
                            .maximumExpectedValue(Duration.ofDays(2)).register(registry)
                            .record(Duration.between(job.startedAt(), event.time()));
                }
            }
            default -> {
            }
        }
    }

    static String requeueReason(String reason) {
        if (reason == null) {
            return "retryable_failure";
        }
        if (reason.startsWith("lease lost")) {
            return "lease_lost";
        }
        if (reason.contains("shutting down")) {
            return "agent_shutdown";
        }
        return "retryable_failure";
    }

    private Counter requeues(String reason) {
        return Counter.builder("cantor_requeues").description("Jobs put back in the queue, by reason")
                .tag("reason", reason).register(registry);
    }

    /**
     * Sets a gauge that a periodic task refreshes (jobs by state, queue depth, agents, GPU demand).
     * Gauges are registered on first use and keep their last value.
     */
    public void set(String name, String description, Map<String, String> tags, long value) {
        String key = name + tags;
        gauges.computeIfAbsent(key, k -> {
            AtomicLong holder = new AtomicLong();
            Gauge.Builder<AtomicLong> builder = Gauge.builder(name, holder, AtomicLong::get).description(description);
            tags.forEach(builder::tag);
            builder.register(registry);
            return holder;
        }).set(value);
    }

    /** Zeroes every gauge of {@code name} whose tags are not in {@code current} (e.g. a state with no jobs left). */
    public void zeroOthers(String name, java.util.Set<Map<String, String>> current) {
        java.util.Set<String> keep = new java.util.HashSet<>();
        current.forEach(tags -> keep.add(name + tags));
        gauges.forEach((key, holder) -> {
            if (key.startsWith(name + "{") && !keep.contains(key)) {
                holder.set(0);
            }
        });
    }

    @Override
    public void claimed(Job job, long casNanos) {
        claimCas.record(casNanos, TimeUnit.NANOSECONDS);
        claims.increment();
        Duration waited = Duration.between(job.notBefore().isAfter(job.createdAt()) ? job.notBefore() : job.createdAt(),
                job.updatedAt());
        jobWait.record(waited.isNegative() ? Duration.ZERO : waited);
    }

    @Override
    public void lostRace() {
        lostRaces.increment();
    }
}
