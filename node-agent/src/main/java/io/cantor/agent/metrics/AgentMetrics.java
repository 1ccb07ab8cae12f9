package io.cantor.agent.metrics;

import io.cantor.model.Job;
import io.cantor.model.Progress;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's series: jobs running, and per running job its epoch, loss and throughput, labelled
 * {@code node} and {@code job_id}. A job's series disappear when it ends, so dashboards show live jobs.
 */
public final class AgentMetrics {
    private final PrometheusMeterRegistry registry;
    private final String node;
    private final AtomicInteger running = new AtomicInteger();
    private final Map<String, JobGauges> jobs = new ConcurrentHashMap<>();

    public AgentMetrics(PrometheusMeterRegistry registry, String node) {
        this.registry = registry;
        this.node = node;
        Gauge.builder("cantor_agent_jobs_running", running, AtomicInteger::get)
                .description("Jobs this agent runs now").tag("node", node).register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public String node() {
        return node;
    }

    public void jobStarted(Job job, List<Integer> gpus) {
        running.incrementAndGet();
        jobs.computeIfAbsent(job.id(), id -> new JobGauges(Tags.of("node", node, "job_id", id)));
    }

    public void jobEnded(Job job, List<Integer> gpus) {
        running.decrementAndGet();
        JobGauges gauges = jobs.remove(job.id());
        if (gauges != null) {
            gauges.meters.forEach(registry::remove);
        }
    }

    public void progress(Job job, Progress p) {
        JobGauges gauges = jobs.get(job.id());
        if (gauges != null && "train".equals(p.stage())) {
            gauges.epoch = p.epoch();
            gauges.loss = p.loss() == null ? Double.NaN : p.loss();
            gauges.samplesPerSecond = p.samplesPerSecond();
            long now = System.nanoTime();
            if (gauges.lastStep >= 0 && p.step() > gauges.lastStep) {
                // Mean step time since the last report, once per step in it, so the histogram counts steps.
                double seconds = (now - gauges.lastReportNanos) / 1e9 / (p.step() - gauges.lastStep);
                for (long s = gauges.lastStep; s < p.step(); s++) {
                    gauges.stepTime.record(java.time.Duration.ofNanos((long) (seconds * 1e9)));
                }
            }
            gauges.lastStep = p.step();
            gauges.lastReportNanos = now;
        }
    }


    private final class JobGauges {
        volatile double epoch;
        volatile double loss = Double.NaN;
        volatile double samplesPerSecond;
        volatile long lastStep = -1;
        volatile long lastReportNanos;
        final io.micrometer.core.instrument.Timer stepTime;
        final List<Meter> meters;

        JobGauges(Tags tags) {
            stepTime = io.micrometer.core.instrument.Timer.builder("cantor_training_step")
                    .description("Training step time of a running job").tags(tags)
                    .publishPercentileHistogram().register(registry);
            meters = List.of(stepTime,
                    Gauge.builder("cantor_training_epoch", this, g -> g.epoch)
                            .description("Current epoch of a running training job").tags(tags).register(registry),
                    Gauge.builder("cantor_training_loss", this, g -> g.loss)
                            .description("Latest epoch's mean training loss").tags(tags).register(registry),
                    Gauge.builder("cantor_training_samples_per_second", this, g -> g.samplesPerSecond)
                            .description("Training throughput in chunks per second").tags(tags).register(registry));
        }
    }
}
