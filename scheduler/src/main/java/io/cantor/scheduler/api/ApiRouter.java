package io.cantor.scheduler.api;

import io.cantor.scheduler.Services;
import io.cantor.scheduler.auth.Role;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** Every route of a scheduler node, in one place: public API, agent API, health and metrics. */
public final class ApiRouter {
    private static final long JSON_LIMIT = 1024 * 1024;
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";

    private ApiRouter() {
    }

    public static Router create(Services s) {
        Router router = Router.router(s.vertx());
        Authentication auth = new Authentication(s.apiKeys());
        JobsApi jobs = new JobsApi(s.vertx(), s.jobs(), s.journal(), s.datasets(), s.dispatcher(), s.idempotency(),
                s.notifications(), s.clock(), s.config().defaultMaxAttempts());
        EventStreams streams = new EventStreams(s.vertx(), jobs, s.events());
        LogsApi logs = new LogsApi(s.vertx(), jobs, s.jobs(), s.logs());
        WebhooksApi webhooks = new WebhooksApi(s.notifications());
        DatasetsApi datasets = new DatasetsApi(s.datasets());
        ModelsApi models = new ModelsApi(jobs, s.blobs());
        NodesApi nodes = new NodesApi(s.nodes());
        AgentApi agent = new AgentApi(s.vertx(), s.config(), s.jobs(), s.dispatcher(), s.nodes(), s.datasets(),
                s.blobs(), s.logs());
        HealthApi health = new HealthApi(s.hazelcast(), s.started());

        Handler<RoutingContext> uploads = BodyHandler.create(s.config().dataDir().resolve("uploads").toString())
                .setBodyLimit(s.config().maxUploadBytes())
                .setDeleteUploadedFilesOnEnd(true)
                .setMergeFormAttributes(false);
        Handler<RoutingContext> json = BodyHandler.create(false).setBodyLimit(JSON_LIMIT);

        router.get(LIVE).handler(health::live);
        router.get(READY).handler(health::ready);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(s.metrics().registry().scrape()));

        router.post("/model/train").handler(auth.require(Role.SUBMIT)).handler(uploads).handler(jobs::submit);
        router.post("/datasets").handler(auth.require(Role.SUBMIT)).handler(uploads).handler(datasets::create);
        router.get("/datasets/:id").handler(auth.require(Role.READ)).handler(datasets::get);
        router.get("/jobs").handler(auth.require(Role.READ)).handler(jobs::list);
        router.get("/jobs/:id").handler(auth.require(Role.READ)).handler(jobs::get);
        router.delete("/jobs/:id").handler(auth.require(Role.SUBMIT)).handler(jobs::cancel);
        router.get("/jobs/:id/events").handler(auth.require(Role.READ)).handler(streams::jobEvents);
        router.get("/jobs/:id/logs").handler(auth.require(Role.READ)).handler(logs::get);
        router.get("/events").handler(auth.require(Role.READ)).handler(streams::tenantEvents);
        router.post("/webhooks").handler(auth.require(Role.ADMIN)).handler(json).handler(webhooks::create);
        router.get("/webhooks").handler(auth.require(Role.READ)).handler(webhooks::list);
        router.delete("/webhooks/:id").handler(auth.require(Role.ADMIN)).handler(webhooks::delete);
        router.get("/webhooks/:id/deliveries").handler(auth.require(Role.READ)).handler(webhooks::deliveries);
        router.get("/models/:id").handler(auth.require(Role.READ)).handler(models::download);
        router.get("/nodes").handler(auth.require(Role.ADMIN)).handler(nodes::list);
        router.post("/nodes/:id/drain").handler(auth.require(Role.ADMIN)).handler(nodes::drain);
        router.post("/nodes/:id/cordon").handler(auth.require(Role.ADMIN)).handler(nodes::cordon);
        router.post("/nodes/:id/uncordon").handler(auth.require(Role.ADMIN)).handler(nodes::uncordon);

        Handler<RoutingContext> agentAuth = auth.require(Role.AGENT);
        router.post("/agent/v1/register").handler(agentAuth).handler(json).handler(agent::register);
        router.post("/agent/v1/claim").handler(agentAuth).handler(json).handler(agent::claim);
        router.post("/agent/v1/jobs/:id/heartbeat").handler(agentAuth).handler(json).handler(agent::heartbeat);
        router.get("/agent/v1/jobs/:id/files/:index").handler(agentAuth).handler(agent::file);
        router.get("/agent/v1/jobs/:id/checkpoint").handler(agentAuth).handler(agent::downloadCheckpoint);
        router.put("/agent/v1/jobs/:id/checkpoint").handler(agentAuth).handler(agent::uploadCheckpoint);
        router.get("/agent/v1/jobs/:id/base-model").handler(agentAuth).handler(agent::downloadBaseModel);
        router.put("/agent/v1/jobs/:id/artifact").handler(agentAuth).handler(agent::uploadArtifact);
        router.post("/agent/v1/jobs/:id/complete").handler(agentAuth).handler(json).handler(agent::complete);
        router.post("/agent/v1/jobs/:id/fail").handler(agentAuth).handler(json).handler(agent::fail);

        router.route().last().handler(ctx -> ctx.fail(404));
        router.route().failureHandler(Problems::handle);
        return router;
    }
}
