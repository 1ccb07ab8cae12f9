package io.cantor.scheduler.nodes;

import com.hazelcast.map.IMap;
import io.cantor.model.AgentNode;
import io.cantor.model.NodeState;
import io.cantor.model.agent.Capabilities;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The agent nodes the cluster knows, in a cluster map, with their capabilities and standing. */
public final class NodeRegistry {
    public static final String MAP = "nodes";

    private final Vertx vertx;
    private final IMap<String, AgentNode> nodes;
    private final InstantSource clock;

    public NodeRegistry(Vertx vertx, IMap<String, AgentNode> nodes, InstantSource clock) {
        this.vertx = vertx;
        this.nodes = nodes;
        this.clock = clock;
    }

    /** (Re-)registers a node. A restarted agent keeps an operator's DRAINING or CORDONED. */
    public Future<AgentNode> register(String nodeId, Capabilities capabilities, String agentVersion) {
        Instant now = clock.instant();
        return future(nodes.getAsync(nodeId)).compose(previous -> {
            NodeState state = previous == null ? NodeState.ACTIVE : previous.adminState();
            Instant since = previous == null ? now : previous.registeredAt();
            AgentNode node = new AgentNode(nodeId, capabilities, state, false, agentVersion, since, now);
            return future(nodes.setAsync(nodeId, node)).map(v -> node);
        });
    }

    public Future<Optional<AgentNode>> find(String nodeId) {
        return future(nodes.getAsync(nodeId)).map(Optional::ofNullable);
    }

    /** Records that the node called in; empty if it never registered (or was forgotten). */
    public Future<Optional<AgentNode>> seen(String nodeId) {
        return future(nodes.submitToKey(nodeId, new NodeProcessors.Seen(clock.instant()))).map(Optional::ofNullable);
    }

    public Future<Optional<AgentNode>> setState(String nodeId, NodeState state) {
        return future(nodes.submitToKey(nodeId, new NodeProcessors.SetState(state, 0))).map(Optional::ofNullable);
    }

    /** Marks the node LOST unless it called in after {@code silentSince}. */
    public Future<Optional<AgentNode>> markLostIfSilentSince(String nodeId, Instant silentSince) {
        return future(nodes.submitToKey(nodeId, new NodeProcessors.SetState(NodeState.LOST, silentSince.toEpochMilli())))
                .map(Optional::ofNullable);
    }

    /** Every known node, by id. Reads the whole map, on a worker thread. */
    public Future<List<AgentNode>> all() {
        return vertx.executeBlocking(() -> {
            List<AgentNode> list = new ArrayList<>(nodes.values());
            list.sort(Comparator.comparing(AgentNode::id));
            return list;
        });
    }

    /** Nodes whose cluster-map entry this member owns: each member looks after its own share. */
    public Future<List<AgentNode>> ownedByThisMember() {
        return vertx.executeBlocking(() -> new ArrayList<>(nodes.getAll(nodes.localKeySet()).values()));
    }

    private <T> Future<T> future(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
    }
}
