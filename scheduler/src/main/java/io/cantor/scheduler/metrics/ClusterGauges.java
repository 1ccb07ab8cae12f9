package io.cantor.scheduler.metrics;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import io.cantor.model.AgentNode;
import io.cantor.model.NodeState;
import io.cantor.model.ResourceRequest;
import io.cantor.scheduler.nodes.NodeRegistry;
import io.cantor.scheduler.queue.Dispatcher;
import io.cantor.scheduler.store.hazelcast.HazelcastJobStore;
import io.cantor.scheduler.tasks.PeriodicTask;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Refreshes the cluster-wide gauges: queue depth by priority and pending GPU demand by label selector (from this node's queue index), agents by
 * state, cluster members, and this member's share of the jobs map.
 */
public final class ClusterGauges implements PeriodicTask {
    private final Vertx vertx;
    private final SchedulerMetrics metrics;
    private final Dispatcher dispatcher;
    private final NodeRegistry nodes;
    private final HazelcastInstance hazelcast;
    private final Duration period;

    public ClusterGauges(Vertx vertx, SchedulerMetrics metrics, Dispatcher dispatcher,
                         NodeRegistry nodes, HazelcastInstance hazelcast, Duration period) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.dispatcher = dispatcher;
        this.nodes = nodes;
        this.hazelcast = hazelcast;
        this.period = period;
    }

    @Override
    public String name() {
        return "cluster gauges";
    }

    @Override
    public Duration period() {
        return period;
    }

    @Override
    public Future<?> runOnce() {
        Future<?> queue = dispatcher.withIndex(index -> Map.of("priority", index.depthByPriority(), "shape", index.depthByShape()))
                .onSuccess(depths -> {
                    @SuppressWarnings("unchecked")
                    Map<Integer, Long> byPriority = (Map<Integer, Long>) depths.get("priority");
                    @SuppressWarnings("unchecked")
                    Map<ResourceRequest, Long> byShape = (Map<ResourceRequest, Long>) depths.get("shape");
                    Set<Map<String, String>> seen = new HashSet<>();
                    metrics.set("cantor_queue_depth", "Queued jobs by priority", Map.of("priority", "0"), 0);
                    byPriority.forEach((priority, n) -> {
                        Map<String, String> tags = Map.of("priority", Integer.toString(priority));
                        seen.add(tags);
                        metrics.set("cantor_queue_depth", "Queued jobs by priority", tags, n);
                    });
                    metrics.zeroOthers("cantor_queue_depth", seen);
                    Map<String, Long> demand = new TreeMap<>();
                    demand.put("any", 0L);
                    byShape.forEach((shape, n) -> demand.merge(selector(shape), n * Math.max(1, shape.gpus()), Long::sum));
                    Set<Map<String, String>> selectors = new HashSet<>();
                    demand.forEach((selector, gpus) -> {
                        Map<String, String> tags = Map.of("selector", selector);
                        selectors.add(tags);
                        metrics.set("cantor_pending_gpu_demand",
                                "GPUs that queued jobs ask for, by label selector (a job that runs anywhere counts 1)", tags, gpus);
                    });
                    metrics.zeroOthers("cantor_pending_gpu_demand", selectors);
                });
        Future<?> agents = nodes.all().onSuccess(all -> {
            Map<NodeState, Long> byState = all.stream().collect(Collectors.groupingBy(AgentNode::state, Collectors.counting()));
            for (NodeState state : NodeState.values()) {
                metrics.set("cantor_agents", "Agent nodes by state", Map.of("state", state.name()),
                        byState.getOrDefault(state, 0L));
            }
        });
        Future<?> member = vertx.executeBlocking(() -> {
            metrics.set("cantor_cluster_members", "Scheduler members in the cluster", Map.of(),
                    hazelcast.getCluster().getMembers().size());
            IMap<String, ?> jobsMap = hazelcast.getMap(HazelcastJobStore.MAP);
            LocalMapStats stats = jobsMap.getLocalMapStats();
            metrics.set("cantor_hazelcast_map_owned_entries", "Entries of a map whose primary copy is on this member",
                    Map.of("map", HazelcastJobStore.MAP), stats.getOwnedEntryCount());
            metrics.set("cantor_hazelcast_map_backup_entries", "Backup entries of a map held by this member",
                    Map.of("map", HazelcastJobStore.MAP), stats.getBackupEntryCount());
            metrics.set("cantor_hazelcast_map_heap_bytes", "Heap this member spends on a map's entries",
                    Map.of("map", HazelcastJobStore.MAP), stats.getHeapCost());
            return null;
        });
        return Future.join(List.of(queue, agents, member));
    }

    static String selector(ResourceRequest shape) {
        if (shape.labels().isEmpty()) {
            return "any";
        }
        return new TreeMap<>(shape.labels()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

}
