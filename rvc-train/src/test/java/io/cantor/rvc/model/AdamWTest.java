package io.cantor.rvc.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamWTest {

    private static PairList<String, Parameter> weights(NDManager m, float[] start) {
        Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optArray(m.create(start)).build();
        p.getArray().setRequiresGradient(true);
        PairList<String, Parameter> list = new PairList<>();
        list.add("w", p);
        return list;
    }

    private static void step(PairList<String, Parameter> params, AdamW optimizer, float[] target) {
        NDArray w = params.get(0).getValue().getArray();
        try (NDManager scope = w.getManager().newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(w.sub(scope.create(target)).square().sum());
        }
        optimizer.step(0.05f);
    }

    @Test
    void minimisesAQuadraticAndResumesExactlyFromSavedState() throws Exception {
        float[] target = {1f, -2f, 0.5f};
        try (NDManager m = NDManager.newBaseManager()) {
            var a = weights(m, new float[]{0, 0, 0});
            var b = weights(m, new float[]{0, 0, 0});
            byte[] saved;
            try (AdamW optimizer = new AdamW(a, m)) {
                for (int i = 0; i < 20; i++) {
                    step(a, optimizer, target);
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                optimizer.save(new DataOutputStream(bytes));
                saved = bytes.toByteArray();
                b.get(0).getValue().getArray().set(a.get(0).getValue().getArray().toFloatArray());
                for (int i = 0; i < 300; i++) {
                    step(a, optimizer, target);
                }
                assertEquals(320, optimizer.updates());
            }
            float[] result = a.get(0).getValue().getArray().toFloatArray();
            // decoupled weight decay pulls slightly towards 0, so the optimum is just inside the target
            assertArrayEquals(target, result, 0.05f);
            try (AdamW restored = new AdamW(b, m)) {
                restored.load(new DataInputStream(new ByteArrayInputStream(saved)));
                assertEquals(20, restored.updates());
                for (int i = 0; i < 300; i++) {
                    step(b, restored, target);
                }
            }
            assertArrayEquals(result, b.get(0).getValue().getArray().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void skipsAStepWhoseGradientsAreNotFiniteAndLeavesTheWeightsUntouched() {
        try (NDManager m = NDManager.newBaseManager()) {
            var params = weights(m, new float[]{0.5f, -1f, 2f});
            NDArray w = params.get(0).getValue().getArray();
            try (AdamW optimizer = new AdamW(params, m)) {
                // sqrt'(0) is infinite: a finite loss whose gradient is not
                try (NDManager scope = m.newSubManager();
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = w.sub(scope.create(new float[]{0.5f, 0f, 0f})).abs().sqrt().sum();
                    assertTrue(Float.isFinite(loss.getFloat()));
                    collector.backward(loss);
                }
                assertFalse(optimizer.step(0.05f));
                assertEquals(0, optimizer.updates());
                assertArrayEquals(new float[]{0.5f, -1f, 2f}, w.toFloatArray());
                assertArrayEquals(new float[]{0f, 0f, 0f}, w.getGradient().toFloatArray(), "the bad gradient is cleared");

                step(params, optimizer, new float[]{1f, 1f, 1f});
                assertEquals(1, optimizer.updates(), "the next finite step applies");
                for (float v : w.toFloatArray()) {
                    assertTrue(Float.isFinite(v));
                }
            }
        }
    }

    @Test
    void aStepLeavesNoArraysBehind() {
        float[] target = {1f, -2f, 0.5f};
        try (NDManager m = NDManager.newBaseManager()) {
            var params = weights(m, new float[]{0, 0, 0});
            NDArray w = params.get(0).getValue().getArray();
            try (AdamW optimizer = new AdamW(params, m)) {
                Runnable step = () -> {
                    try (NDManager scope = m.newSubManager();
                         GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        collector.backward(scope.create(target).sub(w).square().sum());
                    }
                    assertTrue(optimizer.step(0.05f));
                };
                step.run();
                int held = m.getManagedArrays().size();
                for (int i = 0; i < 50; i++) {
                    step.run();
                }
                assertEquals(held, m.getManagedArrays().size(), "a step's temporaries go with it (a long run would run out of memory)");
            }
        }
    }

    @Test
    void aSnapshotRestoresWeightsAndStateSoTheRunRepeatsExactly() {
        float[] target = {1f, -2f, 0.5f};
        try (NDManager m = NDManager.newBaseManager()) {
            var params = weights(m, new float[]{0, 0, 0});
            NDArray w = params.get(0).getValue().getArray();
            try (AdamW optimizer = new AdamW(params, m)) {
                for (int i = 0; i < 10; i++) {
                    step(params, optimizer, target);
                }
                float[] atSnapshot = w.toFloatArray();
                try (AdamW.Snapshot snapshot = optimizer.snapshot()) {
                    for (int i = 0; i < 5; i++) {
                        step(params, optimizer, target);
                    }
                    float[] fiveLater = w.toFloatArray();
                    assertFalse(java.util.Arrays.equals(atSnapshot, fiveLater), "the steps moved the weights");

                    optimizer.restore(snapshot);
                    assertArrayEquals(atSnapshot, w.toFloatArray());
                    assertEquals(10, optimizer.updates());
                    assertTrue(w.hasGradient(), "restored weights still train");
                    for (int i = 0; i < 5; i++) {
                        step(params, optimizer, target);
                    }
                    assertArrayEquals(fiveLater, w.toFloatArray(), 1e-7f, "same moments: the same five steps again");
                }
            }
        }
    }
}
