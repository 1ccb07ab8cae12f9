package io.cantor.scheduler.api;

import io.cantor.model.ConversionParams;
import io.cantor.model.Dataset;
import io.cantor.model.FieldError;
import io.cantor.model.Ids;
import io.cantor.model.Job;
import io.cantor.model.JobKind;
import io.cantor.model.JobSpec;
import io.cantor.model.JobState;
import io.cantor.model.Notify;
import io.cantor.model.ResourceRequest;
import io.cantor.model.TrainingParams;
import io.cantor.model.json.Json;
import io.cantor.scheduler.auth.Principal;
import io.cantor.scheduler.blob.BlobKeys;
import io.cantor.scheduler.blob.BlobStore;
import io.cantor.scheduler.idempotency.IdempotencyKeys;
import io.cantor.scheduler.idempotency.Reservation;
import io.cantor.scheduler.datasets.DatasetService;
import io.cantor.scheduler.notify.Notifications;
import io.cantor.scheduler.queue.Dispatcher;
import io.cantor.scheduler.queue.Placement;
import io.cantor.scheduler.store.JobJournal;
import io.cantor.scheduler.store.JobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code /model/train} and {@code /jobs}: submit, read, list and cancel a tenant's jobs. */
final class JobsApi {
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private final Vertx vertx;
    private final JobStore jobs;
    private final JobJournal journal;
    private final DatasetService datasets;
    private final BlobStore blobs;
    private final Dispatcher dispatcher;
    private final Placement placement;
    private final IdempotencyKeys idempotency;
    private final Notifications notifications;
    private final SubmitRateLimiter rateLimiter;
    private final int maxQueuedPerTenant;
    private final InstantSource clock;
    private final int defaultMaxAttempts;

    JobsApi(Vertx vertx, JobStore jobs, JobJournal journal, DatasetService datasets, BlobStore blobs, Dispatcher dispatcher, Placement placement,
            IdempotencyKeys idempotency, Notifications notifications, SubmitRateLimiter rateLimiter, int maxQueuedPerTenant,
            InstantSource clock, int defaultMaxAttempts) {
        this.vertx = vertx;
        this.jobs = jobs;
        this.journal = journal;
        this.datasets = datasets;
        this.blobs = blobs;
        this.dispatcher = dispatcher;
        this.placement = placement;
        this.idempotency = idempotency;
        this.notifications = notifications;
        this.rateLimiter = rateLimiter;
        this.maxQueuedPerTenant = maxQueuedPerTenant;
        this.clock = clock;
        this.defaultMaxAttempts = defaultMaxAttempts;
    }

    /** {@code POST /model/train}: recordings (multipart) or a {@code datasetId} (JSON) in, a QUEUED job out. */
    void submit(RoutingContext ctx) {
        Principal principal = Authentication.principal(ctx);
        boolean multipart = Bodies.isMultipart(ctx);
        if (!multipart && !Bodies.isJson(ctx)) {
            throw ApiException.unsupportedMediaType("send multipart/form-data (recordings + params) or application/json (datasetId + params)");
        }
        SubmitRequest request = multipart ? fromForm(ctx) : SubmitRequest.fromJsonBody(jsonBody(ctx));
        if (!multipart && (request.datasetId() == null || !Ids.isWellFormed(request.datasetId()))) {
            throw ApiException.invalidField("datasetId", "name an uploaded dataset (POST /datasets)");
        }
        List<FieldError> errors = request.validate();
        if (multipart && request.datasetId() != null) {
            errors.add(new FieldError("datasetId", "send either recordings or a datasetId, not both"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        String key = idempotencyKey(ctx);
        String jobId = Ids.newId(clock);
        admit(ctx, principal.tenant()).compose(v -> reserve(principal.tenant(), key, jobId)).compose(existing -> existing.isPresent()
                ? replay(ctx, principal, existing.get())
                : create(ctx, principal, key, jobId, request.notifications(), () -> checkBaseModel(principal, request.params())
                        .compose(v -> multipart
                                ? datasets.create(principal.tenant(), uploads(ctx)).map(Dataset::id)
                                : checkDataset(principal, request.datasetId()))
                        .map(datasetId -> new JobSpec(JobKind.TRAIN, datasetId, request.params(), null, request.priority(),
                                request.maxAttemptsOr(defaultMaxAttempts), request.resources(), key, request.notifications())),
                        Future::succeededFuture)).onFailure(ctx::fail);
    }

    /**
     * {@code POST /models/{id}/convert}: one recording (multipart) and optional {@code params} in, a
     * QUEUED {@code CONVERT} job out. The recording is stored beside the job's output, so deleting the
     * conversion ({@code DELETE /models/{jobId}}) or its retention removes both.
     */
    void convert(RoutingContext ctx) {
        Principal principal = Authentication.principal(ctx);
        if (!Bodies.isMultipart(ctx)) {
            throw ApiException.unsupportedMediaType("send multipart/form-data: one audio file and an optional params part");
        }
        String modelJobId = ctx.pathParam("id");
        ConvertRequest request = ConvertRequest.fromParamsPart(paramsPart(ctx));
        List<FieldError> errors = request.validate();
        if (ctx.fileUploads().size() != 1) {
            errors.add(new FieldError("file", "send exactly one audio file to convert; got " + ctx.fileUploads().size()));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        DatasetService.Upload upload = uploads(ctx).get(0);
        String key = idempotencyKey(ctx);
        String jobId = Ids.newId(clock);
        admit(ctx, principal.tenant()).compose(v -> reserve(principal.tenant(), key, jobId)).compose(existing -> existing.isPresent()
                ? replay(ctx, principal, existing.get())
                : create(ctx, principal, key, jobId, request.notifications(), () -> trainedModel(principal, modelJobId)
                        .compose(model -> datasets.storeRecording(upload, name -> BlobKeys.conversionInput(jobId, name)))
                        .map(input -> new JobSpec(JobKind.CONVERT, null, null,
                                new ConversionParams(modelJobId, input.name(), request.transpose(), request.indexRate()),
                                request.priority(), request.maxAttemptsOr(defaultMaxAttempts), ResourceRequest.ANY, key,
                                request.notifications())),
                        () -> blobs.deletePrefix(BlobKeys.models(jobId)))).onFailure(ctx::fail);
    }

    /**
     * The common end of a submission: checks the webhook target, builds the spec (which may store
     * uploads), creates the per-job webhook secret, enqueues, commits the idempotency key and answers
     * 202. On failure the key is released and {@code undo} removes what {@code spec} stored.
     */
    private Future<Void> create(RoutingContext ctx, Principal principal, String key, String jobId, Notify notify,
                                Supplier<Future<JobSpec>> spec, Supplier<Future<Void>> undo) {
        String hook = notify.webhookUrl();
        Future<Void> hookAllowed = hook == null ? Future.succeededFuture()
                : notifications.checkTarget(hook, "params.notify.webhookUrl");
        String[] hookSecret = new String[1];
        return hookAllowed
                .compose(v -> spec.get())
                .compose(s -> hook == null ? Future.succeededFuture(s)
                        : notifications.createJobSecret(jobId).map(secret -> {
                            hookSecret[0] = secret;
                            return s;
                        }))
                .compose(s -> jobs.enqueue(Job.submitted(jobId, principal.tenant(), s, clock.instant())))
                .compose(job -> key == null ? Future.succeededFuture(job)
                        : idempotency.commit(principal.tenant(), key, jobId).map(v -> job))
                .onSuccess(job -> {
                    dispatcher.observe(job);
                    respond(ctx, 202, job, hookSecret[0]);
                })
                .recover(failure -> release(principal.tenant(), key, jobId)
                        .compose(v -> undo.get())
                        .transform(v -> Future.failedFuture(failure)))
                .mapEmpty();
    }

    /** The tenant's submission rate and queue cap: 429 with {@code Retry-After} beyond them. */
    private Future<Void> admit(RoutingContext ctx, String tenant) {
        return rateLimiter.take(tenant).compose(waitMillis -> {
            if (waitMillis > 0) {
                ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, (waitMillis + 999) / 1000)));
                return Future.failedFuture(new ApiException(429, "rate-limited", "Too many requests",
                        "tenant " + tenant + " submits faster than its rate allows", List.of()));
            }
            return dispatcher.withIndex(index -> index.queuedFor(tenant));
        }).compose(queued -> {
            if (queued >= maxQueuedPerTenant) {
                ctx.response().putHeader("Retry-After", "60");
                return Future.failedFuture(new ApiException(429, "queue-full", "Too many queued jobs",
                        "tenant " + tenant + " has " + queued + " queued jobs; the cap is " + maxQueuedPerTenant, List.of()));
            }
            return Future.succeededFuture();
        });
    }

    /** {@code GET /jobs/{id}} */
    void get(RoutingContext ctx) {
        ownJob(ctx).onSuccess(job -> respond(ctx, 200, job)).onFailure(ctx::fail);
    }

    /** {@code GET /jobs?state=&limit=&cursor=}: newest first, {@code nextCursor} while more remain. */
    void list(RoutingContext ctx) {
        Principal principal = Authentication.principal(ctx);
        JobState state = parseState(ctx.queryParams().get("state"));
        int limit = parseLimit(ctx.queryParams().get("limit"));
        String cursor = ctx.queryParams().get("cursor");
        if (cursor != null && !Ids.isWellFormed(cursor)) {
            throw ApiException.invalidField("cursor", "is not a cursor this API returned");
        }
        vertx.executeBlocking(() -> journal.page(principal.tenant(), state, cursor, limit + 1))
                .onSuccess(page -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    List<JobView> items = page.stream().limit(limit).map(this::view).toList();
                    body.put("items", items);
                    if (page.size() > limit) {
                        body.put("nextCursor", items.get(items.size() - 1).id());
                    }
                    ctx.response().putHeader("Content-Type", "application/json").end(Json.write(body));
                })
                .onFailure(ctx::fail);
    }

    /** {@code DELETE /jobs/{id}}: cancels; a running job's agent hears it at its next heartbeat. */
    void cancel(RoutingContext ctx) {
        Principal principal = Authentication.principal(ctx);
        ownJob(ctx)
                .compose(job -> jobs.cancel(job.id(), "cancelled by " + principal.keyId()))
                .onSuccess(job -> {
                    dispatcher.observe(job);
                    respond(ctx, 200, job);
                })
                .onFailure(ctx::fail);
    }

    /** The job as its owner sees it, with why it waits if no agent could run it. */
    JobView view(Job job) {
        return JobView.of(job, placement.reasonFor(job));
    }

    /** The job named in the path if it belongs to the caller's tenant; 404 otherwise (never 403: no probing). */
    Future<Job> ownJob(RoutingContext ctx) {
        Principal principal = Authentication.principal(ctx);
        String id = ctx.pathParam("id");
        if (!Ids.isWellFormed(id)) {
            return Future.failedFuture(ApiException.notFound("no job " + id));
        }
        return jobs.find(id).map(found -> found
                .filter(job -> job.tenant().equals(principal.tenant()))
                .orElseThrow(() -> ApiException.notFound("no job " + id)));
    }

    void respond(RoutingContext ctx, int status, Job job) {
        respond(ctx, status, job, null);
    }

    /** With {@code webhookSecret}: the per-job webhook's signing secret, shown only in the submission's answer. */
    void respond(RoutingContext ctx, int status, Job job, String webhookSecret) {
        JobView view = view(job);
        Object body = webhookSecret == null ? view : new CreatedWithSecret(view, webhookSecret);
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Location", "/jobs/" + job.id())
                .end(io.vertx.core.buffer.Buffer.buffer(Json.writeBytes(body)));
    }

    /** The job's fields followed by its webhook secret, written in one pass. */
    private record CreatedWithSecret(@com.fasterxml.jackson.annotation.JsonUnwrapped JobView job, String webhookSecret) {
    }

    private static SubmitRequest fromForm(RoutingContext ctx) {
        return SubmitRequest.fromParamsPart(paramsPart(ctx));
    }

    /** The {@code params} form field of a multipart request; any other non-file field is refused. */
    private static String paramsPart(RoutingContext ctx) {
        var form = ctx.request().formAttributes();
        for (String name : form.names()) {
            if (!name.equals("params")) {
                throw ApiException.invalidField(name, "is not a known form field (send audio files and a params part)");
            }
        }
        return form.get("params");
    }

    private static byte[] jsonBody(RoutingContext ctx) {
        var body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw ApiException.badRequest("the request needs a JSON body");
        }
        return body.getBytes();
    }

    private static List<DatasetService.Upload> uploads(RoutingContext ctx) {
        List<DatasetService.Upload> uploads = new ArrayList<>();
        for (FileUpload f : ctx.fileUploads()) {
            uploads.add(new DatasetService.Upload(f.name(), f.fileName(), Path.of(f.uploadedFileName()), f.size()));
        }
        return uploads;
    }

    private Future<String> checkDataset(Principal principal, String datasetId) {
        return datasets.find(datasetId).map(found -> found
                .filter(d -> d.tenant().equals(principal.tenant()))
                .map(Dataset::id)
                .orElseThrow(() -> ApiException.invalidField("datasetId", "no dataset " + datasetId)));
    }

    /** The caller's SUCCEEDED training job named {@code id}: its model converts. */
    private Future<Job> trainedModel(Principal principal, String id) {
        if (!Ids.isWellFormed(id)) {
            return Future.failedFuture(ApiException.notFound("no model " + id));
        }
        return jobs.find(id).map(found -> {
            Job model = found.filter(j -> j.tenant().equals(principal.tenant()))
                    .orElseThrow(() -> ApiException.notFound("no model " + id));
            if (model.spec().kind() != JobKind.TRAIN || model.state() != JobState.SUCCEEDED || model.result() == null) {
                throw ApiException.conflict("no-model", "job " + id + " is a " + model.spec().kind() + " job in state "
                        + model.state() + "; only a SUCCEEDED training job has a model to convert with");
            }
            return model;
        });
    }

    private Future<Void> checkBaseModel(Principal principal, TrainingParams params) {
        if (params.baseModel() == null) {
            return Future.succeededFuture();
        }
        if (!Ids.isWellFormed(params.baseModel())) {
            return Future.failedFuture(ApiException.invalidField("params.baseModel", "is not a job id"));
        }
        return jobs.find(params.baseModel()).map(found -> {
            Job base = found.filter(j -> j.tenant().equals(principal.tenant()))
                    .orElseThrow(() -> ApiException.invalidField("params.baseModel", "no job " + params.baseModel()));
            if (base.state() != JobState.SUCCEEDED || base.spec().kind() != JobKind.TRAIN) {
                throw ApiException.invalidField("params.baseModel", "job " + base.id() + " has no trained model");
            }
            return null;
        });
    }

    private static String idempotencyKey(RoutingContext ctx) {
        String key = ctx.request().getHeader(IDEMPOTENCY_HEADER);
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            throw ApiException.invalidField(IDEMPOTENCY_HEADER, "must be 1..255 visible ASCII characters");
        }
        return key;
    }

    /** Reserves the idempotency key for {@code jobId}; returns the reservation of an earlier request, if any. */
    private Future<Optional<Reservation>> reserve(String tenant, String key, String jobId) {
        return key == null ? Future.succeededFuture(Optional.empty()) : idempotency.reserve(tenant, key, jobId);
    }

    private Future<Void> release(String tenant, String key, String jobId) {
        return key == null ? Future.succeededFuture() : idempotency.release(tenant, key, jobId);
    }

    private Future<Void> replay(RoutingContext ctx, Principal principal, Reservation earlier) {
        if (!earlier.committed()) {
            return Future.failedFuture(ApiException.conflict("idempotency-in-progress",
                    "a request with this Idempotency-Key is still being processed; retry shortly"));
        }
        String jobId = earlier.jobId();
        return jobs.find(jobId).map(found -> {
            Job job = found.filter(j -> j.tenant().equals(principal.tenant()))
                    .orElseThrow(() -> ApiException.conflict("idempotency-in-progress",
                            "a request with this Idempotency-Key is still being processed; retry shortly"));
            ctx.response().putHeader("Idempotent-Replayed", "true");
            respond(ctx, 202, job);
            return null;
        });
    }

    private static JobState parseState(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return JobState.valueOf(value.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("state", "must be one of QUEUED, ASSIGNED, RUNNING, SUCCEEDED, FAILED, CANCELLED");
        }
    }

    private static int parseLimit(String value) {
        Integer limit = parseInt(value, "limit");
        if (limit == null) {
            return 50;
        }
        if (limit < 1 || limit > 500) {
            throw ApiException.invalidField("limit", "must be between 1 and 500");
        }
        return limit;
    }

    private static Integer parseInt(String value, String field) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalidField(field, "must be an integer");
        }
    }
}
