package io.cantor.rvc.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SineSourceTest {

    /** Upward crossings with hysteresis (below -0.015, then above +0.015), so the 0.003 noise adds none. */
    private static double upwardCrossingsPerSecond(float[] x, int rate) {
        int crossings = 0;
        boolean low = false;
        for (float v : x) {
            if (v < -0.015f) {
                low = true;
            } else if (low && v > 0.015f) {
                crossings++;
                low = false;
            }
        }
        return crossings * (double) rate / x.length;
    }

    private static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += x[i] * x[i];
        }
        return Math.sqrt(s / (to - from));
    }

    @Test
    void voicedFramesCarryTheF0AndItsOvertonesWithFallingAmplitude() {
        float[] f0 = new float[100];
        Arrays.fill(f0, 220f);
        float[][] source = SineSource.render(f0, 0, 100, 320, 32000, 2, new Random(1));
        assertEquals(3, source.length);
        assertEquals(32000, source[0].length);
        assertEquals(220, upwardCrossingsPerSecond(source[0], 32000), 1.5);
        assertEquals(440, upwardCrossingsPerSecond(source[1], 32000), 1.5);
        assertEquals(660, upwardCrossingsPerSecond(source[2], 32000), 2);
        assertEquals(SineSource.SINE_AMPLITUDE / Math.sqrt(2), rms(source[0], 0, 32000), 0.002);
        assertEquals(SineSource.SINE_AMPLITUDE / 2 / Math.sqrt(2), rms(source[1], 0, 32000), 0.002);
    }

    @Test
    void unvoicedFramesAreNoiseAndOvertonesAboveNyquistStaySilent() {
        float[] f0 = new float[50];
        Arrays.fill(f0, 0, 25, 0f);
        Arrays.fill(f0, 25, 50, 5000f);
        float[][] source = SineSource.render(f0, 0, 50, 320, 32000, 3, new Random(2));
        // unvoiced half: Gaussian noise with std 0.1 / 3 on every channel
        assertEquals(SineSource.SINE_AMPLITUDE / 3, rms(source[0], 0, 25 * 320), 0.002);
        // voiced half at 5 kHz: the 4th harmonic (20 kHz) is above 16 kHz, only the 0.003 noise is left
        assertEquals(SineSource.VOICED_NOISE, rms(source[3], 26 * 320, 50 * 320), 0.0005);
        assertEquals(SineSource.SINE_AMPLITUDE / 3 / Math.sqrt(2), rms(source[2], 26 * 320, 50 * 320), 0.002); // 15 kHz: 3rd harmonic, 0.1/3
    }

    @Test
    void framesPastTheTrackAreUnvoicedAndAnOffsetStartsThere() {
        float[] f0 = new float[10];
        Arrays.fill(f0, 100f);
        f0[9] = 0;
        float[][] source = SineSource.render(f0, 5, 10, 100, 10000, 0, new Random(3));
        assertEquals(1000, source[0].length);
        assertEquals(SineSource.SINE_AMPLITUDE / Math.sqrt(2), rms(source[0], 0, 400), 0.01);
        assertEquals(SineSource.SINE_AMPLITUDE / 3, rms(source[0], 500, 1000), 0.006);
    }
}
