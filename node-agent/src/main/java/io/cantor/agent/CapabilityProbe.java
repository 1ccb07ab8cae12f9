package io.cantor.agent;

import com.sun.management.OperatingSystemMXBean;
import io.cantor.agent.gpu.NvidiaSmi;
import io.cantor.model.agent.Capabilities;
import io.cantor.model.agent.GpuInfo;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/** What this host offers: CPUs, memory, and the GPUs nvidia-smi reports (none with {@code --device cpu}). */
public final class CapabilityProbe {
    private CapabilityProbe() {
    }

    public static Capabilities probe(String device, NvidiaSmi nvidiaSmi, Map<String, String> labels) {
        int cpus = Runtime.getRuntime().availableProcessors();
        long memory = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        List<GpuInfo> gpus = "cpu".equals(device) ? List.of() : nvidiaSmi.inventory();
        return new Capabilities(cpus, memory, gpus, labels);
    }
}
