package io.cantor.rvc.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class F0MetricsTest {

    /** 100 frames, voiced 10..89 with a slow vibrato around 200 Hz. */
    private static float[] reference() {
        float[] f = new float[100];
        for (int t = 10; t < 90; t++) {
            f[t] = (float) (200 + 20 * Math.sin(t / 10.0));
        }
        return f;
    }

    private static float[] map(float[] f, java.util.function.DoubleUnaryOperator op) {
        float[] out = new float[f.length];
        for (int t = 0; t < f.length; t++) {
            out[t] = f[t] > 0 ? (float) op.applyAsDouble(f[t]) : 0;
        }
        return out;
    }

    @Test
    void constantOffsetGivesThatRmseAndPerfectCorrelation() {
        float[] ref = reference();
        F0Metrics.Result r = F0Metrics.compare(ref, map(ref, x -> x + 10));
        assertEquals(10, r.rmseHz(), 1e-4);
        assertEquals(1, r.pearson(), 1e-9);
        assertEquals(0, r.vuvErrorRate(), 0);
        assertEquals(80, r.voicedBoth());
        assertEquals(100, r.frames());
    }

    @Test
    void octaveErrorIs1200CentsAndMirroredTrackIsAnticorrelated() {
        float[] ref = reference();
        F0Metrics.Result octave = F0Metrics.compare(ref, map(ref, x -> 2 * x));
        assertEquals(1200, octave.rmseCents(), 1e-3);
        assertEquals(1, octave.pearson(), 1e-9);
        assertEquals(-1, F0Metrics.compare(ref, map(ref, x -> 400 - x)).pearson(), 1e-9);
    }

    @Test
    void voicingErrorsAreCountedOverAllFrames() {
        float[] ref = reference();
        float[] est = ref.clone();
        java.util.Arrays.fill(est, 10, 20, 0);   // 10 voiced frames missed
        java.util.Arrays.fill(est, 0, 5, 150);   // 5 unvoiced frames called voiced
        F0Metrics.Result r = F0Metrics.compare(ref, est);
        assertEquals(0.15, r.vuvErrorRate(), 1e-12);
        assertEquals(70, r.voicedBoth());
        assertEquals(0, r.rmseHz(), 0);
    }

    @Test
    void comparesAlongADtwPath() {
        float[] ref = {0, 100, 200, 300, 0};
        float[] est = {0, 100, 100, 200, 300, 300, 0};
        Dtw.Alignment path = new Dtw.Alignment(new int[] {0, 1, 1, 2, 3, 3, 4}, new int[] {0, 1, 2, 3, 4, 5, 6}, 0);
        F0Metrics.Result r = F0Metrics.compare(ref, est, path);
        assertEquals(0, r.rmseHz(), 0);
        assertEquals(5, r.voicedBoth());
        assertEquals(7, r.frames());
    }
}
