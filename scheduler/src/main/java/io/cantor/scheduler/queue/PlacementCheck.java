package io.cantor.scheduler.queue;


import io.cantor.model.Job;
import io.cantor.model.NodeState;
import io.cantor.model.ResourceRequest;
import io.cantor.scheduler.cluster.Ownership;
import io.cantor.scheduler.nodes.NodeRegistry;
import io.cantor.scheduler.store.JobStore;
import io.cantor.scheduler.tasks.PeriodicTask;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Says so when no registered agent could ever run a queued job (it asks for more GPUs, more GPU
 * memory or labels than any node has), instead of letting it wait silently; clears the note
 * once such a node registers. Works per resource shape, so its cost follows the number of
 * distinct requests, not of jobs; each member notes the jobs it owns.
 */
public final class PlacementCheck implements PeriodicTask {
    private final Dispatcher dispatcher;
    private final NodeRegistry nodes;
    private final JobStore jobs;
    private final Ownership ownership;
    private final Duration period;
    private final Set<ResourceRequest> unplaceable = new HashSet<>();

    public PlacementCheck(Dispatcher dispatcher, NodeRegistry nodes, JobStore jobs, Ownership ownership, Duration period) {
        this.dispatcher = dispatcher;
        this.nodes = nodes;
        this.jobs = jobs;
        this.ownership = ownership;
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
        return nodes.all().compose(fleet -> dispatcher.withIndex(index -> {
            Map<ResourceRequest, List<String>> byShape = new java.util.HashMap<>();
            for (ResourceRequest shape : index.depthByShape().keySet()) {
                byShape.put(shape, index.jobsWithShape(shape));
            }
            return byShape;
        }).compose(byShape -> {
            List<Future<?>> notes = new ArrayList<>();
            for (Map.Entry<ResourceRequest, List<String>> e : byShape.entrySet()) {
                ResourceRequest shape = e.getKey();
                boolean placeable = fleet.stream().anyMatch(n -> n.state() != NodeState.LOST
                        && n.capabilities().couldEverRun(shape));
                if (placeable && unplaceable.remove(shape)) {
                    e.getValue().stream().filter(ownership::ownsKey)
                            .forEach(id -> notes.add(jobs.annotate(id, null, Job.UNSCHEDULABLE)));
                } else if (!placeable) {
                    unplaceable.add(shape);
                    String why = Job.UNSCHEDULABLE + "no registered agent offers " + describe(shape)
                            + (fleet.isEmpty() ? " (no agent is registered)" : "");
                    e.getValue().stream().filter(ownership::ownsKey)
                            .forEach(id -> notes.add(jobs.annotate(id, why, null)));
                }
            }
            return Future.join(notes);
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
