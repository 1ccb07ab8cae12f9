package io.cantor.scheduler.api;

import io.cantor.model.JobKind;
import io.cantor.model.JobState;
import io.cantor.model.agent.AgentMessages;
import io.cantor.scheduler.blob.BlobKeys;
import io.cantor.scheduler.blob.BlobStore;
import io.vertx.ext.web.RoutingContext;

/** {@code /models/{jobId}}: a succeeded training job's model zip, or a conversion's WAV; deleting them. */
final class ModelsApi {
    private final JobsApi jobs;
    private final BlobStore blobs;

    ModelsApi(JobsApi jobs, BlobStore blobs) {
        this.jobs = jobs;
        this.blobs = blobs;
    }

    /**
     * {@code DELETE /models/{jobId}}: every stored byte derived from the recordings for this job
     * (model zips of all attempts, checkpoints, the index inside them; for a conversion its input
     * recording and output WAV). The job's record stays.
     */
    void delete(RoutingContext ctx) {
        jobs.ownJob(ctx).compose(job -> {
            if (!job.state().isTerminal()) {
                throw ApiException.conflict("job-active", "job " + job.id() + " is " + job.state() + "; cancel it first");
            }
            return blobs.deletePrefix(BlobKeys.models(job.id())).compose(v -> blobs.deletePrefix(BlobKeys.checkpoints(job.id())));
        }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    void download(RoutingContext ctx) {
        jobs.ownJob(ctx).compose(job -> {
            if (job.state() != JobState.SUCCEEDED || job.result() == null) {
                throw ApiException.conflict("no-model", "job " + job.id() + " is " + job.state() + "; its model exists once it has SUCCEEDED");
            }
            boolean audio = job.spec().kind() == JobKind.CONVERT;
            return blobs.open(job.result().artifactKey()).compose(stream -> {
                ctx.response()
                        .putHeader("Content-Type", audio ? "audio/wav" : "application/zip")
                        .putHeader("Content-Length", Long.toString(job.result().artifactBytes()))
                        .putHeader("Content-Disposition", audio
                                ? "attachment; filename=\"converted-" + job.id() + ".wav\""
                                : "attachment; filename=\"model-" + job.id() + ".zip\"");
                if (job.result().artifactSha256() != null) {
                    ctx.response().putHeader(AgentMessages.SHA256_HEADER, job.result().artifactSha256());
                }
                return stream.pipeTo(ctx.response());
            });
        }).onFailure(ctx::fail);
    }
}
