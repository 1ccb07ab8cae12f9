package io.cantor.rvc.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    /** Resamples a sine and checks every interior output sample against the ideal sine. */
    private static double passbandErrorDb(int from, int to, double hz) {
        float[] x = Signals.sine(from, from, hz, 0.5);
        float[] y = new Resampler(from, to).resample(x);
        assertEquals((int) Math.ceil((double) x.length * to / from), y.length);
        int edge = to / 20;
        double maxError = 0;
        for (int i = edge; i < y.length - edge; i++) {
            double ideal = 0.5 * Math.sin(2 * Math.PI * hz * i / to);
            maxError = Math.max(maxError, Math.abs(y[i] - ideal));
        }
        double level = Signals.db(Signals.amplitudeAt(y, edge, y.length - edge, to, hz) / 0.5);
        assertEquals(0, level, 0.1, from + "->" + to + " at " + hz + " Hz: level " + level + " dB");
        return Signals.db(maxError / 0.5);
    }

    @Test
    void passbandSinesKeepLevelAndPhase() {
        // Level within 0.1 dB and the waveform itself within -60 dB: no delay, no ripple.
        assertTrue(passbandErrorDb(44100, 40000, 1000) < -60);
        assertTrue(passbandErrorDb(44100, 40000, 15000) < -60);
        assertTrue(passbandErrorDb(48000, 16000, 1000) < -60);
        assertTrue(passbandErrorDb(48000, 16000, 6000) < -60);
        assertTrue(passbandErrorDb(40000, 16000, 440) < -60);
        assertTrue(passbandErrorDb(16000, 40000, 3000) < -60);
        assertTrue(passbandErrorDb(22050, 40000, 5000) < -60);
        // 44101/40000 has 40000 phases: exercises the interpolated polyphase table.
        assertTrue(passbandErrorDb(44101, 40000, 2000) < -60);
    }

    private static double stopbandLevelDb(int from, int to, double hz) {
        float[] x = Signals.sine(from / 2, from, hz, 0.5);
        float[] y = new Resampler(from, to).resample(x);
        int edge = to / 20;
        return Signals.db(Signals.rms(y, edge, y.length - edge) / (0.5 / Math.sqrt(2)));
    }

    @Test
    void tonesAboveTheNewNyquistDoNotAlias() {
        for (double hz : new double[] {20000, 20500, 21000, 22000}) {
            double level = stopbandLevelDb(44100, 40000, hz);
            assertTrue(level < -60, "44.1k->40k, " + hz + " Hz leaks at " + level + " dB");
        }
        for (double hz : new double[] {8000, 8200, 10000, 15000, 23000}) {
            double level = stopbandLevelDb(48000, 16000, hz);
            assertTrue(level < -60, "48k->16k, " + hz + " Hz leaks at " + level + " dB");
        }
    }

    @Test
    void upsamplingLeavesNoImages() {
        float[] x = Signals.sine(16000, 16000, 1000, 0.5);
        float[] y = new Resampler(16000, 40000).resample(x);
        // Zero-stuffing images of 1 kHz at 16 kHz sit at 15, 17, 31, 33 kHz (folded into 0..20 kHz).
        for (double image : new double[] {15000, 17000, 9000, 7000}) {
            double level = Signals.db(Signals.amplitudeAt(y, 2000, 38000, 40000, image) / 0.5);
            assertTrue(level < -60, "image at " + image + " Hz: " + level + " dB");
        }
    }

    @Test
    void constantsStayConstantAndEqualRatesCopy() {
        float[] dc = new float[10000];
        java.util.Arrays.fill(dc, 0.3f);
        float[] y = new Resampler(44100, 40000).resample(dc);
        for (int i = 200; i < y.length - 200; i++) {
            assertEquals(0.3, y[i], 1e-6);
        }
        float[] same = new Resampler(16000, 16000).resample(dc);
        assertEquals(dc.length, same.length);
        assertTrue(same != dc);
    }
}
