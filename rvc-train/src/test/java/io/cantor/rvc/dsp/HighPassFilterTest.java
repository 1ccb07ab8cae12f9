package io.cantor.rvc.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HighPassFilterTest {

    /** Bilinear-transform Butterworth: |H|^2 = 1 / (1 + (tan(pi fc/fs) / tan(pi f/fs))^(2N)). */
    private static double analyticDb(double f, double fc, double fs, int order) {
        double ratio = Math.tan(Math.PI * fc / fs) / Math.tan(Math.PI * f / fs);
        return -10 * Math.log10(1 + Math.pow(ratio, 2 * order));
    }

    @Test
    void magnitudeResponseIsButterworth() {
        for (int fs : new int[] {32000, 40000, 48000}) {
            HighPassFilter hp = HighPassFilter.rvc(fs);
            for (double f : new double[] {10, 20, 30, 48, 60, 100, 300, 1000, 10000, fs / 2.0 - 1}) {
                double expected = analyticDb(f, 48, fs, 5);
                assertEquals(expected, Signals.db(hp.magnitudeAt(f)), 0.01, fs + " Hz rate, " + f + " Hz");
            }
            assertEquals(-3.0103, Signals.db(hp.magnitudeAt(48)), 1e-3);
        }
    }

    @Test
    void filteringASineGivesTheAnalyticSteadyStateGain() {
        int fs = 40000;
        for (double f : new double[] {25, 48, 80, 200, 5000}) {
            float[] x = Signals.sine(2 * fs, fs, f, 0.5);
            float[] y = HighPassFilter.rvc(fs).filter(x);
            double gain = Signals.amplitudeAt(y, fs, 2 * fs, fs, f) / 0.5;
            assertEquals(analyticDb(f, 48, fs, 5), Signals.db(gain), 0.1, f + " Hz");
        }
    }

    @Test
    void impulseResponseMatchesScipyLfilter() {
        // scipy 1.17: b, a = signal.butter(N=5, Wn=48, btype="high", fs=sr); signal.lfilter(b, a, impulse)
        int[] at = {0, 1, 2, 10, 100, 1000, 5000};
        double[] at40k = {0.987874390358859, -0.024103503733806875, -0.023809186997111403,
            -0.021533829337211888, -0.004213293982431723, 0.0005757738009375024, -5.879112730134449e-08};
        double[] at32k = {0.9848660067285752, -0.030037614692258963, -0.02957904368331779,
            -0.02606433267151495, -0.0019611122659432614, 5.3295389300765693e-05, 3.646666589980162e-09};
        checkImpulse(40000, at, at40k);
        checkImpulse(32000, at, at32k);
    }

    private static void checkImpulse(int fs, int[] at, double[] expected) {
        float[] impulse = new float[6000];
        impulse[0] = 1;
        float[] y = HighPassFilter.rvc(fs).filter(impulse);
        for (int i = 0; i < at.length; i++) {
            // float output: compare with a tolerance relative to the first tap
            assertEquals(expected[i], y[at[i]], 2e-7, fs + " Hz, sample " + at[i]);
        }
    }

    @Test
    void blockProcessingContinuesTheState() {
        float[] x = Signals.add(Signals.sine(30000, 40000, 30, 0.4), Signals.gaussian(30000, 0.1, 5));
        float[] whole = HighPassFilter.rvc(40000).filter(x);
        float[] blocks = x.clone();
        HighPassFilter hp = HighPassFilter.rvc(40000);
        for (int off = 0; off < blocks.length; off += 7001) {
            hp.process(blocks, off, Math.min(7001, blocks.length - off));
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(whole[i], blocks[i], 0f);
        }
    }
}
