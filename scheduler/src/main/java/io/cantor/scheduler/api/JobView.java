package io.cantor.scheduler.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cantor.model.ConversionParams;
import io.cantor.model.Job;
import io.cantor.model.JobKind;
import io.cantor.model.JobState;
import io.cantor.model.Notify;
import io.cantor.model.Progress;
import io.cantor.model.ResourceRequest;
import io.cantor.model.TrainingParams;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A job as API clients see it: the value plus where to find its model and events. */
public record JobView(String id, String tenant, JobKind kind, JobState state, long version, int attempt,
                      int maxAttempts, int priority, String datasetId, TrainingParams params,
                      ConversionParams conversion, ResourceRequest resources, @JsonProperty("notify") Notify notifications,
                      String idempotencyKey,
                      Instant createdAt, Instant updatedAt, Instant startedAt, Instant finishedAt, Instant retryAt,
                      LeaseView lease, Progress progress, ResultView result, String reason, Map<String, String> links) {

    /** Who holds the job now ({@code active}), or who held it last. */
    public record LeaseView(String node, long token, Instant expiresAt, List<Integer> gpus, boolean active) {
    }

    public record ResultView(Map<String, Double> metrics, long modelBytes, String modelSha256) {
    }

    public static JobView of(Job job) {
        return of(job, job.reason());
    }

    /** With {@code reason} in place of the job's own (e.g. the placement check's note on a waiting job). */
    public static JobView of(Job job, String reason) {
        var spec = job.spec();
        LeaseView lease = job.lease() == null ? null : new LeaseView(job.lease().nodeId(), job.lease().token(),
                job.lease().expiresAt(), job.lease().gpus(), job.state().holdsLease());
        ResultView result = job.result() == null ? null
                : new ResultView(job.result().metrics(), job.result().artifactBytes(), job.result().artifactSha256());
        Instant retryAt = job.state() == JobState.QUEUED && job.attempt() > 0 ? job.notBefore() : null;
        Map<String, String> links = job.state() == JobState.SUCCEEDED
                ? Map.of("self", "/jobs/" + job.id(), "events", "/jobs/" + job.id() + "/events",
                spec.kind() == JobKind.CONVERT ? "audio" : "model", "/models/" + job.id())
                : Map.of("self", "/jobs/" + job.id(), "events", "/jobs/" + job.id() + "/events");
        Notify notify = spec.notifications().webhookUrl() == null && spec.notifications().email() == null
                ? null : spec.notifications();
        return new JobView(job.id(), job.tenant(), spec.kind(), job.state(), job.version(), job.attempt(),
                spec.maxAttempts(), spec.priority(), spec.datasetId(), spec.params(), spec.conversion(),
                spec.resources(), notify, spec.idempotencyKey(), job.createdAt(), job.updatedAt(), job.startedAt(),
                job.finishedAt(), retryAt, lease, job.progress(), result, reason, links);
    }
}
