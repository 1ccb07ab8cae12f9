package io.cantor.agent.run;

import ai.djl.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which device a job pinned to a GPU trains on. If the PyTorch engine has no CUDA (CPU libtorch
 * on a host whose nvidia-smi reports GPUs: a misconfigured node), the job still runs, on the CPU,
 * and the agent says so loudly instead of failing every job it is given.
 */
final class Devices {
    private static final Logger LOG = LoggerFactory.getLogger(Devices.class);
    private static volatile Integer cudaDevices;

    private Devices() {
    }

    static String gpuOrCpu(int gpu) {
        if (cudaDevices == null) {
            synchronized (Devices.class) {
                if (cudaDevices == null) {
                    cudaDevices = Engine.getEngine("PyTorch").getGpuCount();
                    if (cudaDevices == 0) {
                        LOG.warn("nvidia-smi reports GPUs but the PyTorch engine sees none (CPU libtorch?): "
                                + "GPU jobs will train on the CPU. Set PYTORCH_LIBRARY_PATH to a CUDA libtorch.");
                    }
                }
            }
        }
        return gpu < cudaDevices ? "gpu:" + gpu : "cpu";
    }
}
