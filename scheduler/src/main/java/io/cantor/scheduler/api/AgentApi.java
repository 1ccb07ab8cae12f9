package io.cantor.scheduler.api;

import io.cantor.model.AgentNode;
import io.cantor.model.Dataset;
import io.cantor.model.Ids;
import io.cantor.model.Job;
import io.cantor.model.JobKind;
import io.cantor.model.JobResult;
import io.cantor.model.StaleLeaseException;
import io.cantor.model.agent.AgentMessages;
import io.cantor.model.agent.AgentMessages.Assignment;
import io.cantor.model.agent.AgentMessages.ClaimRequest;
import io.cantor.model.agent.AgentMessages.CompleteRequest;
import io.cantor.model.agent.AgentMessages.DatasetFile;
import io.cantor.model.agent.AgentMessages.FailRequest;
import io.cantor.model.agent.AgentMessages.HeartbeatRequest;
import io.cantor.model.agent.AgentMessages.HeartbeatResponse;
import io.cantor.model.agent.AgentMessages.RegisterRequest;
import io.cantor.model.agent.AgentMessages.RegisterResponse;
import io.cantor.model.json.Json;
import io.cantor.scheduler.blob.BlobKeys;
import io.cantor.scheduler.blob.BlobStore;
import io.cantor.scheduler.blob.BlobStore.BlobInfo;
import io.cantor.scheduler.config.SchedulerConfig;
import io.cantor.scheduler.datasets.DatasetService;
import io.cantor.scheduler.logs.JobLogs;
import io.cantor.scheduler.nodes.NodeRegistry;
import io.cantor.scheduler.queue.Dispatcher;
import io.cantor.scheduler.store.JobStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /agent/v1/*}: what agent nodes call. After a claim, every call names the job and
 * carries the lease token; a token that is not the current attempt's gets 409 and changes nothing.
 */
final class AgentApi {
    private static final int MAX_NODE_ID = 128;
    private static final String ZIP = "application/zip";
    private static final String OCTET_STREAM = "application/octet-stream";

    private final Vertx vertx;
    private final SchedulerConfig config;
    private final JobStore jobs;
    private final Dispatcher dispatcher;
    private final NodeRegistry nodes;
    private final DatasetService datasets;
    private final BlobStore blobs;
    private final JobLogs logs;

    AgentApi(Vertx vertx, SchedulerConfig config, JobStore jobs, Dispatcher dispatcher, NodeRegistry nodes,
             DatasetService datasets, BlobStore blobs, JobLogs logs) {
        this.vertx = vertx;
        this.config = config;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
        this.nodes = nodes;
        this.datasets = datasets;
        this.blobs = blobs;
        this.logs = logs;
    }

    /** {@code POST /agent/v1/register} */
    void register(RoutingContext ctx) {
        RegisterRequest request = Bodies.json(ctx, RegisterRequest.class);
        checkNodeId(request.nodeId());
        if (request.capabilities() == null) {
            throw ApiException.invalidField("capabilities", "is required");
        }
        nodes.register(request.nodeId(), request.capabilities(), request.agentVersion())
                .onSuccess(node -> json(ctx, 200, new RegisterResponse(node.id(), config.heartbeatInterval().toMillis(),
                        config.leaseTimeout().toMillis())))
                .onFailure(ctx::fail);
    }

    /** {@code POST /agent/v1/claim}: long poll; 200 with an assignment, or 204 when none came in time. */
    void claim(RoutingContext ctx) {
        ClaimRequest request = Bodies.json(ctx, ClaimRequest.class);
        checkNodeId(request.nodeId());
        Duration wait = Duration.ofMillis(Math.max(0, Math.min(request.waitMs(), config.maxClaimWait().toMillis())));
        List<Integer> free = request.freeGpus() == null ? List.of() : request.freeGpus();
        Promise<Void> hungUp = Promise.promise();
        ctx.request().connection().closeHandler(v -> hungUp.tryComplete());
        nodes.seen(request.nodeId()).compose(found -> {
            AgentNode node = found.orElseThrow(() -> new ApiException(404, "unknown-node", "Unknown node",
                    "node " + request.nodeId() + " is not registered; register first", List.of()));
            if (!node.state().acceptsWork()) {
                // Drained, cordoned: answer "nothing" after the wait, so the agent does not spin.
                Promise<Optional<Job>> nothing = Promise.promise();
                vertx.setTimer(Math.max(1, wait.toMillis()), t -> nothing.tryComplete(Optional.empty()));
                return nothing.future();
            }
            return dispatcher.claim(node, free, wait, hungUp.future());
        }).compose(claimed -> claimed.isEmpty()
                ? Future.succeededFuture((Assignment) null)
                : assignment(claimed.get())).onSuccess(assignment -> {
            if (assignment == null) {
                ctx.response().setStatusCode(204).end();
            } else {
                json(ctx, 200, assignment);
            }
        }).onFailure(ctx::fail);
    }

    /** {@code POST /agent/v1/jobs/{id}/heartbeat} */
    void heartbeat(RoutingContext ctx) {
        String jobId = jobId(ctx);
        long token = token(ctx);
        HeartbeatRequest request = ctx.body().length() == 0 ? new HeartbeatRequest(null, null) : Bodies.json(ctx, HeartbeatRequest.class);
        jobs.heartbeat(jobId, token, request.progress()).compose(outcome -> {
            Job job = outcome.job();
            nodes.seen(job.lease().nodeId());
            return logs.append(job.id(), job.tenant(), request.logLines()).map(outcome);
        }).onSuccess(outcome -> json(ctx, 200, new HeartbeatResponse(outcome.cancelled(), outcome.job().lease().expiresAt())))
                .onFailure(ctx::fail);
    }

    /** {@code GET /agent/v1/jobs/{id}/files/{index}}: a recording of the job's dataset. */
    void file(RoutingContext ctx) {
        String jobId = jobId(ctx);
        long token = token(ctx);
        int index = parseIndex(ctx.pathParam("index"));
        leased(jobId, token)
                .compose(job -> job.spec().kind() == JobKind.CONVERT ? conversionInput(ctx, job, index) : datasetFile(ctx, job, index))
                .onFailure(ctx::fail);
    }

    private Future<Void> conversionInput(RoutingContext ctx, Job job, int index) {
        if (index != 0) {
            throw ApiException.notFound("no file " + index);
        }
        return send(ctx, BlobKeys.conversionInput(job.id(), job.spec().conversion().input()), OCTET_STREAM,
                "the recording to convert is gone");
    }

    private Future<Void> datasetFile(RoutingContext ctx, Job job, int index) {
        return datasets.find(job.spec().datasetId())
                .compose(found -> {
                    Dataset dataset = found.orElseThrow(() -> ApiException.notFound("the job's dataset is gone"));
                    if (index >= dataset.files().size()) {
                        throw ApiException.notFound("no file " + index);
                    }
                    Dataset.AudioFile file = dataset.files().get(index);
                    // the dataset's record already knows length and checksum: no stat
                    return stream(ctx, new BlobInfo(file.blobKey(), file.bytes(), file.sha256()), OCTET_STREAM);
                });
    }

    /** {@code GET /agent/v1/jobs/{id}/checkpoint}: the latest checkpoint of any attempt, to resume from. */
    void downloadCheckpoint(RoutingContext ctx) {
        String jobId = jobId(ctx);
        long token = token(ctx);
        leased(jobId, token).compose(job -> send(ctx, BlobKeys.checkpoint(jobId), ZIP, "job " + jobId + " has no checkpoint")).onFailure(ctx::fail);
    }

    /** {@code GET /agent/v1/jobs/{id}/base-model}: the model a fine-tuning job starts from. */
    void downloadBaseModel(RoutingContext ctx) {
        String jobId = jobId(ctx);
        long token = token(ctx);
        leased(jobId, token).compose(job -> {
            String base = job.spec().params() == null ? null : job.spec().params().baseModel();
            if (base == null) {
                throw ApiException.notFound("job " + jobId + " has no base model");
            }
            return jobs.find(base);
        }).compose(found -> {
            Job base = found.filter(j -> j.result() != null).orElseThrow(() -> ApiException.notFound("the base model is gone"));
            return send(ctx, base.result().artifactKey(), ZIP, "the base model's artifact is gone");
        }).onFailure(ctx::fail);
    }

    /**
     * Streams a blob with its length and checksum, so the agent can tell a complete download from
     * a cut one (a response without a length would be ended by the first error with a short body).
     */
    private Future<Void> send(RoutingContext ctx, String key, String contentType, String missing) {
        return blobs.stat(key).compose(info -> stream(ctx, info.orElseThrow(() -> ApiException.notFound(missing)), contentType));
    }

    private Future<Void> stream(RoutingContext ctx, BlobInfo blob, String contentType) {
        return blobs.open(blob.key()).compose(stream -> {
            ctx.response().putHeader("Content-Type", contentType)
                    .putHeader("Content-Length", Long.toString(blob.bytes()));
            if (blob.sha256() != null) {
                ctx.response().putHeader(AgentMessages.SHA256_HEADER, blob.sha256());
            }
            return stream.pipeTo(ctx.response());
        });
    }

    /** {@code GET /agent/v1/jobs/{id}/model}: for a conversion, the model of the training job it names. */
    void downloadModel(RoutingContext ctx) {
        String jobId = jobId(ctx);
        long token = token(ctx);
        leased(jobId, token).compose(job -> {
            if (job.spec().conversion() == null) {
                throw ApiException.notFound("job " + jobId + " converts nothing");
            }
            return jobs.find(job.spec().conversion().modelJobId());
        }).compose(found -> {
            Job model = found.filter(j -> j.result() != null).orElseThrow(() -> ApiException.notFound("the model is gone"));
            return send(ctx, model.result().artifactKey(), ZIP, "the model's artifact is gone");
        }).onFailure(ctx::fail);
    }

    /** {@code PUT /agent/v1/jobs/{id}/checkpoint}: replaces the job's checkpoint (zip body); {@code job.checkpointed}. */
    void uploadCheckpoint(RoutingContext ctx) {
        String jobId = jobId(ctx);
        long token = token(ctx);
        int epoch = parseEpoch(ctx.request().getHeader(AgentMessages.CHECKPOINT_EPOCH_HEADER));
        ctx.request().pause();
        leased(jobId, token)
                .compose(job -> blobs.put(BlobKeys.checkpoint(jobId), ctx.request()))
                .compose(info -> jobs.checkpointed(jobId, token, epoch).map(info))
                .onSuccess(info -> json(ctx, 200, info))
                .onFailure(ctx::fail);
    }

    private static int parseEpoch(String value) {
        try {
            int epoch = Integer.parseInt(value == null ? "" : value.trim());
            if (epoch < 0) {
                throw new NumberFormatException();
            }
            return epoch;
        } catch (NumberFormatException e) {
            throw ApiException.invalidField(AgentMessages.CHECKPOINT_EPOCH_HEADER, "is required: the checkpoint's epoch");
        }
    }

    /** {@code PUT /agent/v1/jobs/{id}/artifact}: this attempt's model zip (a conversion: its WAV), before {@code complete}. */
    void uploadArtifact(RoutingContext ctx) {
        String jobId = jobId(ctx);
        long token = token(ctx);
        ctx.request().pause();
        leased(jobId, token)
                .compose(job -> blobs.put(BlobKeys.artifact(jobId, token, job.spec().kind()), ctx.request()))
                .onSuccess(info -> json(ctx, 200, info))
                .onFailure(ctx::fail);
    }

    /** {@code POST /agent/v1/jobs/{id}/complete}: SUCCEEDED with metrics; the artifact must be uploaded. */
    void complete(RoutingContext ctx) {
        String jobId = jobId(ctx);
        long token = token(ctx);
        CompleteRequest request = Bodies.json(ctx, CompleteRequest.class);
        String[] key = new String[1];
        leased(jobId, token)
                .compose(job -> blobs.stat(key[0] = BlobKeys.artifact(jobId, token, job.spec().kind())))
                .compose(blob -> {
                    var info = blob.orElseThrow(() -> ApiException.conflict("no-artifact",
                            "upload the model (PUT artifact) before completing"));
                    return jobs.complete(jobId, token, new JobResult(key[0], info.bytes(), info.sha256(), request.metrics()));
                })
                .onSuccess(job -> json(ctx, 200, JobView.of(job)))
                .onFailure(ctx::fail);
    }

    /** {@code POST /agent/v1/jobs/{id}/fail}: retryable failures are requeued while attempts remain. */
    void fail(RoutingContext ctx) {
        String jobId = jobId(ctx);
        long token = token(ctx);
        FailRequest request = Bodies.json(ctx, FailRequest.class);
        String reason = request.reason() == null || request.reason().isBlank() ? "the agent reported a failure"
                : request.reason().substring(0, Math.min(2000, request.reason().length()));
        jobs.fail(jobId, token, reason, request.retryable())
                .onSuccess(job -> {
                    dispatcher.observe(job);
                    json(ctx, 200, JobView.of(job));
                })
                .onFailure(ctx::fail);
    }

    /** The job, if {@code token} holds its current lease; 409 for a stale token. */
    private Future<Job> leased(String jobId, long token) {
        return jobs.find(jobId).map(found -> {
            Job job = found.orElseThrow(() -> ApiException.notFound("no job " + jobId));
            if (job.attempt() != token || !job.state().holdsLease()) {
                throw new StaleLeaseException(jobId, token, job.attempt());
            }
            return job;
        });
    }

    private Future<Assignment> assignment(Job job) {
        if (job.spec().kind() == JobKind.CONVERT) {
            String name = job.spec().conversion().input();
            return blobs.stat(BlobKeys.conversionInput(job.id(), name)).map(input -> new Assignment(job, job.attempt(),
                    job.lease().expiresAt(), config.heartbeatInterval().toMillis(),
                    input.map(blob -> List.of(new DatasetFile(name, blob.bytes(), blob.sha256(),
                            "/agent/v1/jobs/" + job.id() + "/files/0"))).orElse(List.of()),
                    null, null, "/agent/v1/jobs/" + job.id() + "/model"));
        }
        return datasets.find(job.spec().datasetId()).compose(found -> {
            List<DatasetFile> files = new ArrayList<>();
            found.ifPresent(dataset -> {
                for (int i = 0; i < dataset.files().size(); i++) {
                    Dataset.AudioFile f = dataset.files().get(i);
                    files.add(new DatasetFile(f.name(), f.bytes(), f.sha256(), "/agent/v1/jobs/" + job.id() + "/files/" + i));
                }
            });
            return blobs.stat(BlobKeys.checkpoint(job.id())).map(checkpoint -> new Assignment(job, job.attempt(),
                    job.lease().expiresAt(), config.heartbeatInterval().toMillis(), files,
                    checkpoint.isPresent() ? "/agent/v1/jobs/" + job.id() + "/checkpoint" : null,
                    job.spec().params() != null && job.spec().params().baseModel() != null
                            ? "/agent/v1/jobs/" + job.id() + "/base-model" : null,
                    null));
        });
    }


    private static String jobId(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!Ids.isWellFormed(id)) {
            throw ApiException.notFound("no job " + id);
        }
        return id;
    }

    private static long token(RoutingContext ctx) {
        String value = ctx.request().getHeader(AgentMessages.LEASE_TOKEN_HEADER);
        if (value == null) {
            throw ApiException.invalidField(AgentMessages.LEASE_TOKEN_HEADER, "is required after a claim");
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalidField(AgentMessages.LEASE_TOKEN_HEADER, "must be an integer");
        }
    }

    private static int parseIndex(String value) {
        try {
            int index = Integer.parseInt(value);
            if (index < 0) {
                throw new NumberFormatException();
            }
            return index;
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no file " + value);
        }
    }

    private static void checkNodeId(String nodeId) {
        if (nodeId == null || nodeId.isEmpty() || nodeId.length() > MAX_NODE_ID || !nodeId.matches("[A-Za-z0-9._:-]+")) {
            throw ApiException.invalidField("nodeId", "1.." + MAX_NODE_ID + " characters of A-Z a-z 0-9 . _ : -");
        }
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.write(body));
    }
}
