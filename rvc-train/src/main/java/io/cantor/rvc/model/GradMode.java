package io.cantor.rvc.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's autograd switch is per thread and starts on. DJL turns it off only on the thread that
 * loaded the engine, and a {@code GradientCollector} restores whatever it found when it closes. A
 * trainer called on any other thread (an agent's worker, a test's executor) would then record graphs
 * for plain inference and refuse the optimiser's in-place weight updates ("a leaf Variable that
 * requires grad is being used in an in-place operation"). Every public entry point that runs the
 * model therefore starts by turning it off for its own thread.
 */
public final class GradMode {
    private GradMode() {
    }

    public static void offForThisThread() {
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            JniUtils.setGradMode(false);
        }
    }

    /** Whether autograd records on this thread (PyTorch only; other engines answer false). */
    public static boolean isOnForThisThread() {
        return "PyTorch".equals(Engine.getInstance().getEngineName()) && JniUtils.isGradMode();
    }
}
