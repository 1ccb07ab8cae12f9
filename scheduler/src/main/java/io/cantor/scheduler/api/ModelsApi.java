package io.cantor.scheduler.api;

import io.cantor.model.JobState;
import io.cantor.scheduler.blob.BlobStore;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /models/{jobId}}: a succeeded job's model zip. */
final class ModelsApi {
    private final JobsApi jobs;
    private final BlobStore blobs;

    ModelsApi(JobsApi jobs, BlobStore blobs) {
        this.jobs = jobs;
        this.blobs = blobs;
    }

    void download(RoutingContext ctx) {
        jobs.ownJob(ctx).compose(job -> {
            if (job.state() != JobState.SUCCEEDED || job.result() == null) {
                throw ApiException.conflict("no-model", "job " + job.id() + " is " + job.state() + "; its model exists once it has SUCCEEDED");
            }
            return blobs.open(job.result().artifactKey()).compose(stream -> {
                ctx.response()
                        .putHeader("Content-Type", "application/zip")
                        .putHeader("Content-Length", Long.toString(job.result().artifactBytes()))
                        .putHeader("Content-Disposition", "attachment; filename=\"model-" + job.id() + ".zip\"");
                if (job.result().artifactSha256() != null) {
                    ctx.response().putHeader("X-Content-SHA256", job.result().artifactSha256());
                }
                return stream.pipeTo(ctx.response());
            });
        }).onFailure(ctx::fail);
    }
}
