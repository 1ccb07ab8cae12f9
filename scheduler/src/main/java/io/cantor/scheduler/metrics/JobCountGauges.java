package io.cantor.scheduler.metrics;

import io.cantor.model.JobState;
import io.cantor.scheduler.cluster.Ownership;
import io.cantor.scheduler.store.JobJournal;
import io.cantor.scheduler.tasks.PeriodicTask;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code cantor_jobs{tenant,state}}, counted in the journal. The count scans an index of the jobs
 * table (H2 needs about a second per 200,000 jobs), so one member does it, the owner of a fixed
 * key's partition, and less often than the in-memory gauges; the others report zeros, which
 * dashboards read with {@code max} across members.
 */
public final class JobCountGauges implements PeriodicTask {
    private static final String METRIC = "cantor_jobs";

    private final Vertx vertx;
    private final SchedulerMetrics metrics;
    private final JobJournal journal;
    private final Ownership ownership;
    private final Duration period;

    public JobCountGauges(Vertx vertx, SchedulerMetrics metrics, JobJournal journal, Ownership ownership,
                          Duration period) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.journal = journal;
        this.ownership = ownership;
        this.period = period;
    }

    @Override
    public String name() {
        return "job count gauges";
    }

    @Override
    public Duration period() {
        return period;
    }

    @Override
    public Future<?> runOnce() {
        if (!ownership.ownsKey(METRIC)) {
            metrics.zeroOthers(METRIC, Set.of());
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(journal::countByTenantAndState).onSuccess(counts -> {
            Set<Map<String, String>> seen = new HashSet<>();
            counts.forEach((tenant, byState) -> {
                for (JobState state : JobState.values()) {
                    Map<String, String> tags = Map.of("tenant", tenant, "state", state.name());
                    seen.add(tags);
                    metrics.set(METRIC, "Jobs by tenant and state", tags, byState.getOrDefault(state, 0L));
                }
            });
            metrics.zeroOthers(METRIC, seen);
        });
    }
}
