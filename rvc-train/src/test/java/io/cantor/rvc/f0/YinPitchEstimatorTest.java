package io.cantor.rvc.f0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cantor.rvc.dsp.Signals;
import org.junit.jupiter.api.Test;

class YinPitchEstimatorTest {

    private static final int SR = 16000;
    private final YinPitchEstimator yin = new YinPitchEstimator();

    /** Checks frames [from, to): every one voiced and within 1 % of {@code hz}. */
    private static void assertTrack(float[] f0, int from, int to, double hz, String what) {
        for (int t = from; t < to; t++) {
            assertTrue(f0[t] > 0, what + ": frame " + t + " unvoiced");
            assertEquals(hz, f0[t], 0.01 * hz, what + ": frame " + t);
        }
    }

    @Test
    void harmonicRichSignalsWithNoiseAreWithinOnePercent() {
        for (double hz : new double[] {80, 150, 220, 440, 800}) {
            float[] x = Signals.add(Signals.harmonic(SR, SR, hz, 0.5), Signals.gaussian(SR, 0.01, (long) hz));
            float[] f0 = yin.estimate(x);
            assertEquals(101, f0.length);
            assertTrack(f0, 5, 96, hz, "harmonic " + hz + " Hz");
        }
    }

    @Test
    void sinesWithNoiseAreWithinOnePercent() {
        for (double hz : new double[] {55, 80, 150, 220, 440, 800, 1000}) {
            float[] x = Signals.add(Signals.sine(SR, SR, hz, 0.3), Signals.gaussian(SR, 0.005, (long) hz + 1));
            assertTrack(yin.estimate(x), 5, 96, hz, "sine " + hz + " Hz");
        }
    }

    @Test
    void silenceAndNoiseAreUnvoiced() {
        float[] x = Signals.concat(new float[SR / 2], Signals.harmonic(SR, SR, 220, 0.4),
                Signals.gaussian(SR, 0.1, 9), Signals.lcgNoise(SR / 2, 0.001, 3));
        float[] f0 = yin.estimate(x);
        for (int t = 0; t < 45; t++) {
            assertEquals(0, f0[t], "silence frame " + t);
        }
        assertTrack(f0, 55, 145, 220, "tone");
        int voicedNoise = 0;
        for (int t = 155; t < 245; t++) {
            voicedNoise += f0[t] > 0 ? 1 : 0;
        }
        assertEquals(0, voicedNoise, "white-noise frames marked voiced");
        for (int t = 255; t < f0.length; t++) {
            assertEquals(0, f0[t], "quiet-noise frame " + t);
        }
    }

    @Test
    void tracksAGlide() {
        int n = 2 * SR;
        float[] x = Signals.add(Signals.glide(n, SR, 100, 400, 0.5), Signals.gaussian(n, 0.005, 4));
        float[] f0 = yin.estimate(x);
        for (int t = 10; t < f0.length - 10; t++) {
            double expected = Signals.f0At(t * 160.0, n, 100, 400);
            assertTrue(f0[t] > 0, "frame " + t + " unvoiced");
            assertEquals(expected, f0[t], 0.02 * expected, "frame " + t);
        }
    }

    @Test
    void frameCountFollowsTheHop() {
        assertEquals(1, yin.estimate(new float[0]).length);
        assertEquals(1, yin.estimate(new float[159]).length);
        assertEquals(2, yin.estimate(new float[160]).length);
        assertEquals(101, yin.estimate(new float[16000]).length);
    }
}
