package io.cantor.scheduler.api;

import io.cantor.model.NodeState;
import io.cantor.model.json.Json;
import io.cantor.scheduler.auth.AuditLog;
import io.cantor.scheduler.nodes.NodeRegistry;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/** {@code /nodes} (admin): the agent fleet, and taking nodes out of rotation. */
final class NodesApi {
    private final NodeRegistry nodes;
    private final AuditLog audit;

    NodesApi(NodeRegistry nodes, AuditLog audit) {
        this.nodes = nodes;
        this.audit = audit;
    }

    void list(RoutingContext ctx) {
        nodes.all()
                .onSuccess(all -> ctx.response().putHeader("Content-Type", "application/json")
                        .end(Json.write(Map.of("items", all))))
                .onFailure(ctx::fail);
    }

    /** {@code POST /nodes/{id}/drain}: finish current work, claim nothing new. */
    void drain(RoutingContext ctx) {
        set(ctx, NodeState.DRAINING);
    }

    /** {@code POST /nodes/{id}/cordon}: claim nothing new until uncordoned. */
    void cordon(RoutingContext ctx) {
        set(ctx, NodeState.CORDONED);
    }

    /** {@code POST /nodes/{id}/uncordon}: back in rotation (also ends a drain). */
    void uncordon(RoutingContext ctx) {
        set(ctx, NodeState.ACTIVE);
    }

    private void set(RoutingContext ctx, NodeState state) {
        String id = ctx.pathParam("id");
        nodes.setState(id, state)
                .map(found -> found.orElseThrow(() -> ApiException.notFound("no node " + id)))
                .compose(node -> audit.record(Authentication.principal(ctx), "node." + state.name().toLowerCase(), id, null)
                        .map(node))
                .onSuccess(node -> ctx.response().putHeader("Content-Type", "application/json").end(Json.write(node)))
                .onFailure(ctx::fail);
    }
}
