package io.cantor.rvc.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cantor.rvc.dsp.Slicer.Slice;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlicerTest {

    private static float[] tone(double seconds, int sr, double hz, double amp) {
        return Signals.sine(Signals.samples(seconds, sr), sr, hz, amp);
    }

    private static float[] zeros(double seconds, int sr) {
        return new float[Signals.samples(seconds, sr)];
    }

    private static float[] noise(double seconds, int sr, double amp, long seed) {
        return Signals.lcgNoise(Signals.samples(seconds, sr), amp, seed);
    }

    private static void assertSlices(List<Slice> actual, int[]... expected) {
        assertEquals(expected.length, actual.size(), "slices " + actual);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(new Slice(expected[i][0], expected[i][1]), actual.get(i), "slice " + i);
        }
    }

    @Test
    void derivesRvcFrameParameters() {
        assertEquals(600, Slicer.rvc(40000).hopSize());
        assertEquals(2400, Slicer.rvc(40000).winSize());
        assertEquals(480, Slicer.rvc(32000).hopSize());
        assertEquals(720, Slicer.rvc(48000).hopSize());
        assertEquals(240, Slicer.rvc(16000).hopSize());
    }

    @Test
    void rmsFramesAreCentredAndZeroPadded() {
        float[] x = new float[12000];
        java.util.Arrays.fill(x, 0.5f);
        double[] rms = Slicer.rvc(40000).rms(x);
        assertEquals(1 + 12000 / 600, rms.length);
        assertEquals(0.5 * Math.sqrt(0.5), rms[0], 1e-9); // half the first window is padding
        assertEquals(0.5, rms[10], 1e-9);
    }

    @Test
    void toneSilenceToneGivesTwoSlicesAroundTheGap() {
        int sr = 40000;
        float[] x = Signals.concat(tone(3, sr, 440, 0.5), zeros(1, sr), tone(3, sr, 440, 0.5));
        List<Slice> slices = Slicer.rvc(sr).slice(x);
        int slack = 600 + 2400 / 2; // one hop plus half an RMS window
        assertEquals(2, slices.size());
        // Each tone is kept whole; the cut keeps at most 500 ms of the silence on each side.
        assertEquals(0, slices.get(0).start());
        assertTrue(slices.get(0).end() >= 3 * sr && slices.get(0).end() <= 3 * sr + sr / 2 + slack);
        assertTrue(slices.get(1).start() <= 4 * sr && slices.get(1).start() >= 4 * sr - sr / 2 - slack);
        assertEquals(x.length, slices.get(1).end());
        // Exact boundaries from RVC's slicer2.py on the same signal.
        assertSlices(slices, new int[] {0, 121200}, new int[] {139200, 280000});
    }

    @Test
    void matchesRvcOnLeadingShortLongAndTrailingSilences() {
        int sr = 40000;
        float[] x = Signals.concat(noise(0.8, sr, 0.002, 1), tone(2, sr, 220, 0.3), zeros(0.3, sr),
                tone(2, sr, 330, 0.3), noise(2.5, sr, 0.002, 2), tone(1.6, sr, 440, 0.3), zeros(1.2, sr));
        assertSlices(Slicer.rvc(sr).slice(x), new int[] {22800, 210000}, new int[] {285000, 369600});
    }

    @Test
    void matchesRvcOnMediumGapsAt32k() {
        int sr = 32000;
        float[] x = Signals.concat(tone(2, sr, 200, 0.4), noise(0.7, sr, 0.001, 3), tone(2, sr, 300, 0.4),
                noise(0.45, sr, 0.001, 4), tone(1.7, sr, 250, 0.4));
        assertSlices(Slicer.rvc(sr).slice(x), new int[] {0, 66240}, new int[] {84960, 219200});
    }

    @Test
    void continuousSoundIsOneSlice() {
        int sr = 48000;
        float[] x = tone(1.2, sr, 500, 0.2);
        assertSlices(Slicer.rvc(sr).slice(x), new int[] {0, x.length});
        assertSlices(Slicer.rvc(sr).slice(new float[50]), new int[] {0, 50});
    }
}
