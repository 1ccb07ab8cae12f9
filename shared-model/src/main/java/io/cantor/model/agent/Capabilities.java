package io.cantor.model.agent;

import io.cantor.model.ResourceRequest;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an agent node offers. {@code labels} are the platform team's own (zone, pool, ...);
 * {@link #effectiveLabels()} adds what the hardware says, e.g. {@code gpu.model=NVIDIA H100 80GB HBM3}.
 */
public record Capabilities(int cpus, long memoryBytes, List<GpuInfo> gpus, Map<String, String> labels) {

    public Capabilities {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** Slots = jobs that may run at once: one per GPU, or one on a CPU-only node. */
    public int slots() {
        return Math.max(1, gpus.size());
    }

    public Map<String, String> effectiveLabels() {
        Map<String, String> all = new TreeMap<>(labels);
        if (!gpus.isEmpty()) {
            all.putIfAbsent("gpu.model", gpus.get(0).name());
        }
        all.putIfAbsent("accelerator", gpus.isEmpty() ? "cpu" : "gpu");
        return all;
    }

    /** Whether some set of this node's GPUs could ever satisfy the request (ignores what is busy now). */
    public boolean couldEverRun(ResourceRequest request) {
        return fits(request, gpus.stream().map(GpuInfo::index).toList());
    }

    /** Whether the request fits on the given free GPUs of this node. */
    public boolean fits(ResourceRequest request, List<Integer> freeGpus) {
        Map<String, String> mine = effectiveLabels();
        for (Map.Entry<String, String> wanted : request.labels().entrySet()) {
            if (!wanted.getValue().equals(mine.get(wanted.getKey()))) {
                return false;
            }
        }
        return pickGpus(request, freeGpus) != null;
    }

    /**
     * The GPUs to pin a job to: the first {@code request.gpus()} free ones with enough memory;
     * one free GPU for a job that runs anywhere; none on a CPU-only node. Null when it does not fit.
     */
    public List<Integer> pickGpus(ResourceRequest request, List<Integer> freeGpus) {
        if (gpus.isEmpty()) {
            return request.gpus() == 0 ? List.of() : null;
        }
        int wanted = Math.max(1, request.gpus());
        List<Integer> chosen = gpus.stream()
                .filter(g -> freeGpus.contains(g.index()))
                .filter(g -> g.memoryMb() >= request.minGpuMemoryMb())
                .map(GpuInfo::index)
                .limit(wanted)
                .toList();
        return chosen.size() == wanted ? chosen : null;
    }
}
