package io.cantor.agent.gpu;

import io.cantor.model.agent.GpuInfo;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NvidiaSmiTest {

    static String fake() throws URISyntaxException {
        return Path.of(NvidiaSmiTest.class.getResource("/fake-nvidia-smi/nvidia-smi").toURI()).toString();
    }

    @Test
    void readsAMultiGpuHost() throws Exception {
        NvidiaSmi smi = new NvidiaSmi(fake());
        List<GpuInfo> gpus = smi.inventory();
        assertEquals(2, gpus.size());
        assertEquals(new GpuInfo(1, "NVIDIA H100 80GB HBM3", 81559, "GPU-8e2a4c71-6b0d-4a95-b3f2-7d1e5c9a4b22"), gpus.get(1));
        NvidiaSmi.GpuReading r = smi.readings().get(0);
        assertEquals(87, r.utilizationPercent());
        assertEquals(40213, r.memoryUsedMib());
        assertEquals(512.34, r.powerWatts(), 1e-9);
    }

    @Test
    void noNvidiaSmiOrForeignOutputMeansNoGpus() throws Exception {
        assertEquals(List.of(), new NvidiaSmi("/nonexistent/nvidia-smi").inventory(), "a CPU node has no nvidia-smi");
        assertEquals(List.of(), new NvidiaSmi("echo").inventory(), "output that is not nvidia-smi's means: no GPUs");
        assertEquals(List.of(), new NvidiaSmi("false").readings(), "a failing nvidia-smi means: no readings");
    }

    @Test
    void aBrokenHostKeepsItsGoodLines() throws Exception {
        NvidiaSmi smi = withHost("eight-a100-malformed");
        List<GpuInfo> gpus = smi.inventory();
        assertEquals(List.of(0, 1, 2, 4, 5, 7), gpus.stream().map(GpuInfo::index).toList(),
                "the line without a UUID and the one with [N/A] memory are skipped");
        List<NvidiaSmi.GpuReading> readings = smi.readings();
        assertEquals(7, readings.size(), "the garbage line is skipped");
        assertTrue(Double.isNaN(readings.get(2).powerWatts()), "[N/A] power is unknown");
        assertTrue(Double.isNaN(readings.get(4).temperatureCelsius()), "[Not Supported] is unknown");
    }

    @Test
    void gpuSeriesCarryTheJobThatRunsOnTheGpu() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GpuMetrics metrics = new GpuMetrics(registry, "gpu-node-1");
        List<NvidiaSmi.GpuReading> readings = new NvidiaSmi(fake()).readings();
        Map<Integer, String> jobs = new java.util.HashMap<>(Map.of(0, "job-a"));
        metrics.update(readings, jobs::get);
        String text = registry.scrape();
        assertTrue(text.contains("cantor_gpu_utilization_ratio{gpu=\"0\",job_id=\"job-a\",node=\"gpu-node-1\"} 0.87"), text);
        assertTrue(text.contains("cantor_gpu_utilization_ratio{gpu=\"1\",job_id=\"\",node=\"gpu-node-1\"} 0.0"), text);
        assertTrue(text.contains("cantor_gpu_memory_total_bytes{gpu=\"0\",node=\"gpu-node-1\"} 8.5520809984E10"), text);
        assertTrue(text.contains("cantor_gpu_power_watts{gpu=\"0\",job_id=\"job-a\",node=\"gpu-node-1\"} 512.34"), text);

        jobs.remove(0);
        jobs.put(1, "job-b");
        metrics.update(readings, jobs::get);
        text = registry.scrape();
        assertFalse(text.contains("job-a"), "a finished job's GPU series go away");
        assertTrue(text.contains("cantor_gpu_utilization_ratio{gpu=\"1\",job_id=\"job-b\",node=\"gpu-node-1\"}"), text);
        assertTrue(text.contains("cantor_gpu_utilization_ratio{gpu=\"0\",job_id=\"\",node=\"gpu-node-1\"} 0.87"), text);
    }

    static NvidiaSmi withHost(String host) throws Exception {
        Path script = java.nio.file.Files.createTempFile("nvidia-smi-", ".sh");
        java.nio.file.Files.writeString(script, "#!/bin/sh\nFAKE_NVIDIA_SMI_HOST=" + host + " exec " + fake() + " \"$@\"\n");
        script.toFile().setExecutable(true);
        script.toFile().deleteOnExit();
        return new NvidiaSmi(script.toString());
    }
}
