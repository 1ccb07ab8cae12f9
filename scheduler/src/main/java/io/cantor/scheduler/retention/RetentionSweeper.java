package io.cantor.scheduler.retention;

import io.cantor.model.Dataset;
import io.cantor.scheduler.blob.BlobKeys;
import io.cantor.scheduler.blob.BlobStore;
import io.cantor.scheduler.cluster.Ownership;
import io.cantor.scheduler.datasets.DatasetService;
import io.cantor.scheduler.store.JobJournal;
import io.cantor.scheduler.store.jdbc.JdbcDocuments;
import io.cantor.scheduler.tasks.PeriodicTask;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes recordings and models once they are older than the retention setting: datasets by
 * their upload time, a job's models and checkpoints by the time it ended. Voice recordings are
 * biometric data; keeping them no longer than needed is the point. Each member deletes what it owns.
 */
public final class RetentionSweeper implements PeriodicTask {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);

    private final Vertx vertx;
    private final Duration retention;
    private final Duration period;
    private final InstantSource clock;
    private final JdbcDocuments<Dataset> datasetRows;
    private final DatasetService datasets;
    private final JobJournal journal;
    private final BlobStore blobs;
    private final Ownership ownership;
    private Instant sweptUpTo = Instant.EPOCH;

    public RetentionSweeper(Vertx vertx, Duration retention, Duration period, InstantSource clock,
                            JdbcDocuments<Dataset> datasetRows, DatasetService datasets, JobJournal journal,
                            BlobStore blobs, Ownership ownership) {
        this.vertx = vertx;
        this.retention = retention;
        this.period = period;
        this.clock = clock;
        this.datasetRows = datasetRows;
        this.datasets = datasets;
        this.journal = journal;
        this.blobs = blobs;
        this.ownership = ownership;
    }

    @Override
    public String name() {
        return "retention sweeper";
    }

    @Override
    public Duration period() {
        return period;
    }

    @Override
    public Future<?> runOnce() {
        Instant cutoff = clock.instant().minus(retention);
        Instant from = sweptUpTo;
        return vertx.executeBlocking(() -> new Expired(
                        datasetRows.idsUpdatedBefore(cutoff.toEpochMilli()).stream().filter(ownership::ownsKey).toList(),
                        journal.finishedBetween(from, cutoff, 10_000).stream().filter(ownership::ownsKey).toList()))
                .compose(expired -> {
                    List<Future<?>> deletions = new ArrayList<>();
                    expired.datasets().forEach(id -> deletions.add(datasets.delete(id)));
                    expired.jobs().forEach(id -> deletions.add(blobs.deletePrefix(BlobKeys.models(id))
                            .compose(v -> blobs.deletePrefix(BlobKeys.checkpoints(id)))));
                    if (!deletions.isEmpty()) {
                        LOG.info("retention: deleting {} dataset(s) and the models of {} job(s) older than {}",
                                expired.datasets().size(), expired.jobs().size(), retention);
                    }
                    return Future.all(deletions).onSuccess(v -> sweptUpTo = cutoff);
                });
    }

    private record Expired(List<String> datasets, List<String> jobs) {
    }
}
