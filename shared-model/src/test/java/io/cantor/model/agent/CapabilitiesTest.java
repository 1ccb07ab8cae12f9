package io.cantor.model.agent;

import io.cantor.model.ResourceRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapabilitiesTest {
    static final Capabilities CPU = new Capabilities(8, 1L << 34, List.of(), Map.of("zone", "a"));
    static final Capabilities TWO_GPUS = new Capabilities(32, 1L << 37, List.of(
            new GpuInfo(0, "NVIDIA H100 80GB HBM3", 81559, "GPU-0"),
            new GpuInfo(1, "NVIDIA H100 80GB HBM3", 81559, "GPU-1")), Map.of("zone", "b"));

    @Test
    void aCpuNodeRunsOneJobThatNeedsNoGpu() {
        assertEquals(1, CPU.slots());
        assertTrue(CPU.fits(ResourceRequest.ANY, List.of()));
        assertEquals(List.of(), CPU.pickGpus(ResourceRequest.ANY, List.of()));
        assertFalse(CPU.couldEverRun(new ResourceRequest(1, 0, Map.of())));
        assertEquals("cpu", CPU.effectiveLabels().get("accelerator"));
    }

    @Test
    void aGpuNodePinsJobsToFreeGpus() {
        assertEquals(2, TWO_GPUS.slots());
        assertEquals(List.of(1), TWO_GPUS.pickGpus(ResourceRequest.ANY, List.of(1)), "runs-anywhere jobs take one GPU");
        assertEquals(List.of(0, 1), TWO_GPUS.pickGpus(new ResourceRequest(2, 0, Map.of()), List.of(0, 1)));
        assertNull(TWO_GPUS.pickGpus(new ResourceRequest(2, 0, Map.of()), List.of(1)), "one free GPU is not two");
        assertTrue(TWO_GPUS.couldEverRun(new ResourceRequest(2, 80_000, Map.of())));
        assertFalse(TWO_GPUS.couldEverRun(new ResourceRequest(3, 0, Map.of())));
        assertFalse(TWO_GPUS.couldEverRun(new ResourceRequest(1, 100_000, Map.of())), "not enough memory");
    }

    @Test
    void labelsMustAllMatchIncludingHardwareOnes() {
        assertTrue(TWO_GPUS.fits(new ResourceRequest(1, 0, Map.of("gpu.model", "NVIDIA H100 80GB HBM3", "zone", "b")), List.of(0)));
        assertFalse(TWO_GPUS.fits(new ResourceRequest(1, 0, Map.of("gpu.model", "NVIDIA A100")), List.of(0)));
        assertFalse(TWO_GPUS.fits(new ResourceRequest(1, 0, Map.of("zone", "a")), List.of(0)));
        assertFalse(CPU.fits(new ResourceRequest(0, 0, Map.of("pool", "x")), List.of()));
    }
}
