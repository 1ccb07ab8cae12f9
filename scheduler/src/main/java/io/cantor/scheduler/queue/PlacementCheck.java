package io.cantor.scheduler.queue;

import io.cantor.model.NodeState;
import io.cantor.model.ResourceRequest;
import io.cantor.scheduler.nodes.NodeRegistry;
import io.cantor.scheduler.tasks.PeriodicTask;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Works out which queued resource shapes no registered agent could ever run (more GPUs, more GPU
 * memory or labels than any node has) and publishes that as this member's {@link Placement}, so
 * such jobs say why they wait instead of waiting silently. Its cost follows the number of
 * distinct requests, not of jobs, and it writes nothing to the jobs.
 */
public final class PlacementCheck implements PeriodicTask {
    private final Dispatcher dispatcher;
    private final NodeRegistry nodes;
    private final Placement placement;
    private final Duration period;

    public PlacementCheck(Dispatcher dispatcher, NodeRegistry nodes, Placement placement, Duration period) {
        this.dispatcher = dispatcher;
        this.nodes = nodes;
        this.placement = placement;
        this.period = period;
    }

    @Override
    public String name() {
        return "placement check";
    }

    @Override
    public Duration period() {
        return period;
    }

    @Override
    public Future<?> runOnce() {
        return nodes.all().compose(fleet -> dispatcher.withIndex(index -> index.depthByShape().keySet())
                .map(shapes -> {
                    Map<ResourceRequest, String> notes = new HashMap<>();
                    for (ResourceRequest shape : shapes) {
                        boolean placeable = fleet.stream().anyMatch(n -> n.state() != NodeState.LOST
                                && n.capabilities().couldEverRun(shape));
                        if (!placeable) {
                            notes.put(shape, Placement.UNSCHEDULABLE + "no registered agent offers " + describe(shape)
                                    + (fleet.isEmpty() ? " (no agent is registered)" : ""));
                        }
                    }
                    placement.update(notes);
                    return null;
                }));
    }

    static String describe(ResourceRequest r) {
        StringBuilder s = new StringBuilder();
        s.append(r.gpus() == 0 ? "a CPU or GPU slot" : r.gpus() + " GPU(s)");
        if (r.minGpuMemoryMb() > 0) {
            s.append(" with ").append(r.minGpuMemoryMb()).append(" MiB each");
        }
        if (!r.labels().isEmpty()) {
            s.append(" labelled ").append(r.labels());
        }
        return s.toString();
    }
}
