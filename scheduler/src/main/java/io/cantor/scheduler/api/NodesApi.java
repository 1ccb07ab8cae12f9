package io.cantor.scheduler.api;

import io.cantor.model.json.Json;
import io.cantor.scheduler.nodes.NodeRegistry;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/** {@code /nodes} (admin): the agent fleet. */
final class NodesApi {
    private final NodeRegistry nodes;

    NodesApi(NodeRegistry nodes) {
        this.nodes = nodes;
    }

    void list(RoutingContext ctx) {
        nodes.all()
                .onSuccess(all -> ctx.response().putHeader("Content-Type", "application/json")
                        .end(Json.write(Map.of("items", all))))
                .onFailure(ctx::fail);
    }
}
