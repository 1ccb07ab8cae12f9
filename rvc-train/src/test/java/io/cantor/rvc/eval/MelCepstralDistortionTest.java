package io.cantor.rvc.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cantor.rvc.dsp.Signals;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MelCepstralDistortionTest {

    private static final int SR = 16000;

    @Test
    void cepstralScalingMapsAMelRippleToTheTextbookValue() {
        Random random = new Random(1);
        float[][] a = new float[3][80];
        float[][] b = new float[3][80];
        float[][] c = new float[3][80];
        double eps = 0.3;
        for (int t = 0; t < 3; t++) {
            for (int m = 0; m < 80; m++) {
                a[t][m] = (float) random.nextGaussian();
                // A cosine ripple of quefrency 5 on the mel axis changes exactly c_5, by eps / 2.
                b[t][m] = (float) (a[t][m] + eps * Math.cos(Math.PI * 5 * (m + 0.5) / 80));
                c[t][m] = a[t][m] + 2.0f; // a pure level change only moves c0
            }
        }
        double[][] ca = MelCepstralDistortion.melCepstra(a, 24);
        double[][] cb = MelCepstralDistortion.melCepstra(b, 24);
        double[][] cc = MelCepstralDistortion.melCepstra(c, 24);
        double expected = 10 / Math.log(10) * Math.sqrt(2 * Math.pow(eps / 2, 2));
        assertEquals(expected, MelCepstralDistortion.compare(ca, cb, 24, false, 0).mcdDb(), 1e-5);
        assertEquals(0, MelCepstralDistortion.compare(ca, cc, 24, false, 0).mcdDb(), 1e-5);
        assertEquals(2.0, cc[0][0] - ca[0][0], 1e-6);
    }

    private static float[] speechLike(double[] f0s, double segmentSeconds) {
        float[][] parts = new float[f0s.length][];
        for (int i = 0; i < f0s.length; i++) {
            int n = Signals.samples(segmentSeconds, SR);
            parts[i] = i % 3 == 2 ? Signals.sine(n, SR, f0s[i] * 3, 0.4) : Signals.harmonic(n, SR, f0s[i], 0.4);
        }
        return Signals.concat(parts);
    }

    @Test
    void identicalSignalsHaveZeroDistortion() {
        float[] x = speechLike(new double[] {150, 220, 180, 120}, 0.3);
        MelCepstralDistortion.Result r = MelCepstralDistortion.compare(x, x.clone(), SR);
        assertEquals(0, r.mcdDb(), 1e-9);
        assertEquals(120, r.frames()); // the diagonal: 1.2 s at 100 frames/s (RVC-style len / hop frames)
    }

    @Test
    void distortionGrowsWithAddedNoise() {
        float[] x = speechLike(new double[] {150, 220, 180, 120, 260}, 0.3);
        double previous = 0;
        for (double sigma : new double[] {0.001, 0.005, 0.02, 0.08}) {
            float[] noisy = Signals.add(x, Signals.gaussian(x.length, sigma, 11));
            double mcd = MelCepstralDistortion.compare(x, noisy, SR).mcdDb();
            assertTrue(mcd > previous + 0.3, "sigma " + sigma + ": " + mcd + " dB after " + previous);
            previous = mcd;
        }
    }

    @Test
    void dtwAlignsATimeStretchedCopy() {
        double[] f0s = {150, 220, 180, 120, 260, 140};
        float[] a = speechLike(f0s, 0.30);
        float[] b = speechLike(f0s, 0.39); // 30 % slower, same content
        MelCepstralDistortion.Result aligned = MelCepstralDistortion.compare(a, b, SR);
        io.cantor.rvc.dsp.MelSpectrogram mel = new io.cantor.rvc.dsp.MelSpectrogram(
                MelCepstralDistortion.analysisConfig(SR));
        double[][] ca = MelCepstralDistortion.melCepstra(mel.compute(a), 24);
        double[][] cb = MelCepstralDistortion.melCepstra(mel.compute(b), 24);
        double unaligned = MelCepstralDistortion.compare(ca, cb, 24, false, 0).mcdDb();
        assertTrue(aligned.mcdDb() < 1.0, "aligned MCD " + aligned.mcdDb());
        assertTrue(unaligned > 5 * aligned.mcdDb(), "unaligned MCD " + unaligned);
        // The middle of each segment of a maps into the same segment of b.
        Dtw.Alignment path = aligned.alignment();
        for (int s = 0; s < f0s.length; s++) {
            int frameA = (int) Math.round((s + 0.5) * 30);
            for (int k = 0; k < path.length(); k++) {
                if (path.a()[k] == frameA) {
                    int segmentB = (int) (path.b()[k] / 39.0);
                    assertEquals(s, segmentB, "segment " + s);
                }
            }
        }
        MelCepstralDistortion.Result banded = MelCepstralDistortion.compare(ca, cb, 24, true, 15);
        assertEquals(aligned.mcdDb(), banded.mcdDb(), 1e-9);
    }
}
