package io.cantor.scheduler.metrics;

import io.cantor.model.Job;
import io.cantor.scheduler.queue.DispatchMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler's own series, in Prometheus conventions: {@code cantor_} prefix, base units,
 * {@code _total} counters. Vert.x HTTP and JVM series land in the same registry.
 */
public final class SchedulerMetrics implements DispatchMetrics {
    private final PrometheusMeterRegistry registry;
    private final Timer claimCas;
    private final Counter lostRaces;

    public SchedulerMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        this.claimCas = Timer.builder("cantor_claim_cas")
                .description("Latency of the compare-and-set that commits a claim")
                .publishPercentileHistogram()
                .register(registry);
        this.lostRaces = Counter.builder("cantor_claim_races_lost")
                .description("Claims whose compare-and-set found the job already taken or changed")
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void submitted(Job job) {
        Counter.builder("cantor_jobs_submitted").description("Jobs accepted by POST /model/train")
                .tag("tenant", job.tenant()).register(registry).increment();
    }

    public void finished(Job job) {
        if (job.state().isTerminal()) {
            Counter.builder("cantor_jobs_finished").description("Jobs that reached a terminal state")
                    .tag("tenant", job.tenant()).tag("state", job.state().name()).register(registry).increment();
            if (job.startedAt() != null && job.finishedAt() != null) {
                Timer.builder("cantor_job_duration").description("From start on an agent to the end")
                        .tag("state", job.state().name()).publishPercentileHistogram()
                        .register(registry).record(Duration.between(job.startedAt(), job.finishedAt()));
            }
        }
    }

    @Override
    public void claimed(Job job, long casNanos) {
        claimCas.record(casNanos, TimeUnit.NANOSECONDS);
        Counter.builder("cantor_claims").description("Jobs handed to agents").register(registry).increment();
        Timer.builder("cantor_job_wait").description("From submission to claim")
                .publishPercentileHistogram().register(registry)
                .record(Duration.between(job.createdAt(), job.updatedAt()));
    }

    @Override
    public void lostRace() {
        lostRaces.increment();
    }
}
