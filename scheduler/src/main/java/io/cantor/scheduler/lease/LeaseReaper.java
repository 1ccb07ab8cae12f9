package io.cantor.scheduler.lease;

import io.cantor.model.Job;
import io.cantor.scheduler.cluster.Ownership;
import io.cantor.scheduler.store.JobJournal;
import io.cantor.scheduler.store.JobStore;
import io.cantor.scheduler.tasks.PeriodicTask;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Takes jobs back from agents that stopped heartbeating. Finds expired leases in the journal
 * (indexed, so the cost follows the number of expired leases, not of jobs) and requeues each
 * through the store's compare-and-set, which checks expiry again. Each member reaps the jobs
 * whose partitions it owns, so the work is shared and never done twice.
 */
public final class LeaseReaper implements PeriodicTask {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);
    private static final int BATCH = 1000;

    private final Vertx vertx;
    private final JobJournal journal;
    private final JobStore jobs;
    private final Ownership ownership;
    private final InstantSource clock;
    private final Duration period;
    private final Consumer<Job> requeued;

    public LeaseReaper(Vertx vertx, JobJournal journal, JobStore jobs, Ownership ownership, InstantSource clock,
                       Duration period, Consumer<Job> requeued) {
        this.vertx = vertx;
        this.journal = journal;
        this.jobs = jobs;
        this.ownership = ownership;
        this.clock = clock;
        this.period = period;
        this.requeued = requeued;
    }

    @Override
    public String name() {
        return "lease reaper";
    }

    @Override
    public Duration period() {
        return period;
    }

    @Override
    public Future<List<Job>> runOnce() {
        return vertx.executeBlocking(() -> journal.expiredLeases(clock.instant(), BATCH).stream()
                        .filter(ownership::ownsKey).toList())
                .compose(ids -> {
                    List<Future<Optional<Job>>> rounds = new ArrayList<>();
                    for (String id : ids) {
                        rounds.add(jobs.requeueExpired(id));
                    }
                    return Future.join(rounds).map(all -> {
                        List<Job> changed = new ArrayList<>();
                        for (int i = 0; i < all.size(); i++) {
                            Optional<Job> job = all.resultAt(i);
                            if (job != null && job.isPresent()) {
                                changed.add(job.get());
                            }
                        }
                        return changed;
                    });
                })
                .onSuccess(changed -> changed.forEach(job -> {
                    LOG.info("job {} lost its lease on {}: now {}", job.id(), job.lease().nodeId(), job.state());
                    requeued.accept(job);
                }));
    }

}
