package io.cantor.scheduler.api;

import io.cantor.scheduler.Services;
import io.cantor.scheduler.auth.Role;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Every route of a scheduler node, in one place. Each route runs, in order: authentication and
 * role (before any body is read), the body handler it needs, the contract check against its
 * {@code openapi.yaml} operation, then one small handler method.
 */
public final class ApiRouter {
    private static final long JSON_LIMIT = 1024 * 1024;
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";

    private ApiRouter() {
    }

    public static Router create(Services s, Contract contract) {
        Router router = Router.router(s.vertx());
        Authentication auth = new Authentication(s.apiKeys());
        JobsApi jobs = new JobsApi(s.vertx(), s.jobs(), s.journal(), s.datasets(), s.blobs(), s.dispatcher(), s.placement(), s.idempotency(),
                s.notifications(), s.rateLimiter(), s.config().limits().maxQueuedPerTenant(), s.clock(),
                s.config().defaultMaxAttempts());
        EventStreams streams = new EventStreams(s.vertx(), jobs, s.events());
        LogsApi logs = new LogsApi(s.vertx(), jobs, s.jobs(), s.logs());
        WebhooksApi webhooks = new WebhooksApi(s.notifications());
        DatasetsApi datasets = new DatasetsApi(s.datasets());
        ModelsApi models = new ModelsApi(jobs, s.blobs());
        NodesApi nodes = new NodesApi(s.nodes(), s.audit());
        AdminApi admin = new AdminApi(s.apiKeys(), s.audit());
        AgentApi agent = new AgentApi(s.vertx(), s.config(), s.jobs(), s.dispatcher(), s.nodes(), s.datasets(),
                s.blobs(), s.logs());
        HealthApi health = new HealthApi(s.hazelcast(), s.started());

        Handler<RoutingContext> uploads = new UploadBodyHandler(s.vertx(),
                BodyHandler.create(s.config().dataDir().resolve("uploads").toString()))
                .setBodyLimit(s.config().maxUploadBytes())
                .setDeleteUploadedFilesOnEnd(true)
                .setMergeFormAttributes(false);
        Handler<RoutingContext> json = BodyHandler.create(false).setBodyLimit(JSON_LIMIT);
        Routes r = new Routes(router, contract);

        r.open("GET", LIVE, "live", health::live);
        r.open("GET", READY, "ready", health::ready);
        r.open("GET", "/openapi.yaml", "openapi", contract::serve);
        r.open("GET", "/metrics", "metrics", ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(s.metrics().registry().scrape()));

        r.add("POST", "/model/train", "submitJob", auth.require(Role.SUBMIT), uploads, false, jobs::submit);
        r.add("POST", "/datasets", "createDataset", auth.require(Role.SUBMIT), uploads, false, datasets::create);
        r.add("GET", "/datasets/:id", "getDataset", auth.require(Role.READ), null, true, datasets::get);
        r.add("DELETE", "/datasets/:id", "deleteDataset", auth.require(Role.SUBMIT), null, true, datasets::delete);
        r.add("GET", "/jobs", "listJobs", auth.require(Role.READ), null, true, jobs::list);
        r.add("GET", "/jobs/:id", "getJob", auth.require(Role.READ), null, true, jobs::get);
        r.add("DELETE", "/jobs/:id", "cancelJob", auth.require(Role.SUBMIT), null, true, jobs::cancel);
        r.add("GET", "/jobs/:id/events", "jobEvents", auth.require(Role.READ), null, true, streams::jobEvents);
        r.add("GET", "/jobs/:id/logs", "jobLogs", auth.require(Role.READ), null, true, logs::get);
        r.add("GET", "/events", "tenantEvents", auth.require(Role.READ), null, true, streams::tenantEvents);
        r.add("GET", "/models/:id", "downloadModel", auth.require(Role.READ), null, true, models::download);
        r.add("DELETE", "/models/:id", "deleteModel", auth.require(Role.SUBMIT), null, true, models::delete);
        r.add("POST", "/models/:id/convert", "convertWithModel", auth.require(Role.SUBMIT), uploads, false, jobs::convert);
        r.add("POST", "/webhooks", "createWebhook", auth.require(Role.ADMIN), json, true, webhooks::create);
        r.add("GET", "/webhooks", "listWebhooks", auth.require(Role.READ), null, true, webhooks::list);
        r.add("DELETE", "/webhooks/:id", "deleteWebhook", auth.require(Role.ADMIN), null, true, webhooks::delete);
        r.add("GET", "/webhooks/:id/deliveries", "webhookDeliveries", auth.require(Role.READ), null, true, webhooks::deliveries);
        r.add("GET", "/nodes", "listNodes", auth.require(Role.ADMIN), null, true, nodes::list);
        r.add("POST", "/nodes/:id/drain", "drainNode", auth.require(Role.ADMIN), null, true, nodes::drain);
        r.add("POST", "/nodes/:id/cordon", "cordonNode", auth.require(Role.ADMIN), null, true, nodes::cordon);
        r.add("POST", "/nodes/:id/uncordon", "uncordonNode", auth.require(Role.ADMIN), null, true, nodes::uncordon);
        r.add("POST", "/admin/keys", "createKey", auth.require(Role.ADMIN), json, true, admin::create);
        r.add("GET", "/admin/keys", "listKeys", auth.require(Role.ADMIN), null, true, admin::list);
        r.add("DELETE", "/admin/keys/:id", "revokeKey", auth.require(Role.ADMIN), null, true, admin::revoke);
        r.add("GET", "/admin/audit", "auditLog", auth.require(Role.ADMIN), null, true, admin::audit);

        Handler<RoutingContext> agentAuth = auth.require(Role.AGENT);
        r.add("POST", "/agent/v1/register", "agentRegister", agentAuth, json, true, agent::register);
        r.add("POST", "/agent/v1/claim", "agentClaim", agentAuth, json, true, agent::claim);
        r.add("POST", "/agent/v1/jobs/:id/heartbeat", "agentHeartbeat", agentAuth, json, true, agent::heartbeat);
        r.add("GET", "/agent/v1/jobs/:id/files/:index", "agentFile", agentAuth, null, true, agent::file);
        r.add("GET", "/agent/v1/jobs/:id/checkpoint", "agentGetCheckpoint", agentAuth, null, true, agent::downloadCheckpoint);
        r.add("PUT", "/agent/v1/jobs/:id/checkpoint", "agentPutCheckpoint", agentAuth, null, false, agent::uploadCheckpoint);
        r.add("GET", "/agent/v1/jobs/:id/base-model", "agentBaseModel", agentAuth, null, true, agent::downloadBaseModel);
        r.add("GET", "/agent/v1/jobs/:id/model", "agentModel", agentAuth, null, true, agent::downloadModel);
        r.add("PUT", "/agent/v1/jobs/:id/artifact", "agentPutArtifact", agentAuth, null, false, agent::uploadArtifact);
        r.add("POST", "/agent/v1/jobs/:id/complete", "agentComplete", agentAuth, json, true, agent::complete);
        r.add("POST", "/agent/v1/jobs/:id/fail", "agentFail", agentAuth, json, true, agent::fail);

        router.route().last().handler(ctx -> ctx.fail(404));
        router.route().failureHandler(Problems::handle);
        return router;
    }

    /** Adds routes with their handler chains; remembers nothing else. */
    private record Routes(Router router, Contract contract) {
        /** A route without authentication (health, metrics, the contract itself). */
        void open(String method, String path, String operationId, Handler<RoutingContext> handler) {
            contract.validate(operationId); // the operation must exist in openapi.yaml
            router.route(io.vertx.core.http.HttpMethod.valueOf(method), path).handler(handler);
        }

        /**
         * @param checked whether the whole request goes through the contract check; uploads and raw
         *                streams (multipart, zip) are checked by their handlers instead
         */
        void add(String method, String path, String operationId, Handler<RoutingContext> auth,
                 Handler<RoutingContext> body, boolean checked, Handler<RoutingContext> handler) {
            var route = router.route(io.vertx.core.http.HttpMethod.valueOf(method), path).handler(auth);
            if (body != null) {
                route.handler(body);
                if (body instanceof UploadBodyHandler) {
                    route.handler(UploadBodyHandler::arrived);
                }
            }
            Handler<RoutingContext> check = contract.validate(operationId);
            if (checked) {
                route.handler(check);
            }
            route.handler(handler);
        }
    }
}
