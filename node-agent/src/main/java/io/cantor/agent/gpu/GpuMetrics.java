package io.cantor.agent.gpu;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Per-GPU series from NVML readings: utilisation (0..1), memory used and total (bytes),
 * temperature (°C) and power (W), labelled {@code node}, {@code gpu} and, while a job runs pinned
 * to the GPU, {@code job_id} (empty when idle), so a dashboard can show utilisation per job.
 * When a GPU changes hands its series are re-registered under the new {@code job_id}.
 */
public final class GpuMetrics {
    private static final long MIB = 1024L * 1024L;

    private final MeterRegistry registry;
    private final String node;
    private final Map<Integer, Registered> gpus = new HashMap<>();

    public GpuMetrics(MeterRegistry registry, String node) {
        this.registry = registry;
        this.node = node;
    }

    /** Applies one round of readings; {@code jobOnGpu} names the job pinned to a GPU index, or null. */
    public synchronized void update(List<NvidiaSmi.GpuReading> readings, IntFunction<String> jobOnGpu) {
        for (NvidiaSmi.GpuReading r : readings) {
            String job = jobOnGpu.apply(r.index());
            String jobLabel = job == null ? "" : job;
            Registered current = gpus.get(r.index());
            if (current == null || !current.jobLabel.equals(jobLabel)) {
                if (current != null) {
                    current.meters.forEach(registry::remove);
                }
                current = register(r.index(), jobLabel);
                gpus.put(r.index(), current);
            }
            current.last = r;
        }
    }

    private Registered register(int gpu, String jobLabel) {
        Registered reg = new Registered(jobLabel);
        Tags withJob = Tags.of("node", node, "gpu", Integer.toString(gpu), "job_id", jobLabel);
        Tags gpuOnly = Tags.of("node", node, "gpu", Integer.toString(gpu));
        reg.meters.add(Gauge.builder("cantor_gpu_utilization_ratio", reg, g -> g.last.utilizationPercent() / 100.0)
                .description("GPU utilisation, 0..1").tags(withJob).register(registry));
        reg.meters.add(Gauge.builder("cantor_gpu_memory_used_bytes", reg, g -> g.last.memoryUsedMib() * MIB)
                .description("GPU memory in use").tags(withJob).register(registry));
        reg.meters.add(Gauge.builder("cantor_gpu_memory_total_bytes", reg, g -> g.last.memoryTotalMib() * MIB)
                .description("GPU memory in all").tags(gpuOnly).register(registry));
        reg.meters.add(Gauge.builder("cantor_gpu_temperature_celsius", reg, g -> g.last.temperatureCelsius())
                .description("GPU temperature").tags(withJob).register(registry));
        reg.meters.add(Gauge.builder("cantor_gpu_power_watts", reg, g -> g.last.powerWatts())
                .description("GPU power draw").tags(withJob).register(registry));
        return reg;
    }

    private static final class Registered {
        final String jobLabel;
        final List<Meter> meters = new ArrayList<>();
        volatile NvidiaSmi.GpuReading last = new NvidiaSmi.GpuReading(0, "", Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN);

        Registered(String jobLabel) {
            this.jobLabel = jobLabel;
        }
    }
}
