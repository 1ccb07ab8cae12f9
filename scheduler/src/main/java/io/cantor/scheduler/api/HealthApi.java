package io.cantor.scheduler.api;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import io.cantor.model.json.Json;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code /health/live} (the process answers) and {@code /health/ready} (the node can take work). */
final class HealthApi {
    private final HazelcastInstance hazelcast;
    private final BooleanSupplier started;

    HealthApi(HazelcastInstance hazelcast, BooleanSupplier started) {
        this.hazelcast = hazelcast;
        this.started = started;
    }

    void live(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json").end(Json.write(Map.of("status", "UP")));
    }

    void ready(RoutingContext ctx) {
        boolean member = hazelcast.getLifecycleService().isRunning()
                && hazelcast.getCluster().getClusterState() == ClusterState.ACTIVE;
        boolean ready = member && started.getAsBoolean();
        ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json")
                .end(Json.write(Map.of("status", ready ? "UP" : "DOWN",
                        "clusterMembers", hazelcast.getCluster().getMembers().size())));
    }
}
