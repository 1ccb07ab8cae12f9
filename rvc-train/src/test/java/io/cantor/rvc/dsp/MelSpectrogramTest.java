package io.cantor.rvc.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MelSpectrogramTest {

    @Test
    void slaneyMelScaleIsLinearBelow1kHzAndLogarithmicAbove() {
        assertEquals(0, MelFilterbank.hzToMel(0), 1e-12);
        assertEquals(3, MelFilterbank.hzToMel(200), 1e-12);
        assertEquals(15, MelFilterbank.hzToMel(1000), 1e-12);
        assertEquals(42, MelFilterbank.hzToMel(6400), 1e-12); // 27 log steps of 6.4^(1/27) above 1 kHz
        for (double hz : new double[] {50, 999, 1000, 4321, 20000}) {
            assertEquals(hz, MelFilterbank.melToHz(MelFilterbank.hzToMel(hz)), 1e-9);
        }
    }

    @Test
    void rvc40kFilterbankHasUnitAreaTrianglesAtSlaneyCentres() {
        MelConfig c = MelConfig.RVC_40K;
        MelFilterbank fb = new MelFilterbank(c);
        assertEquals(125, fb.nMels());
        assertEquals(1025, fb.nBins());
        double binHz = (double) c.sampleRate() / c.nFft();
        double melMax = MelFilterbank.hzToMel(20000);
        int wide = 0;
        for (int m = 0; m < fb.nMels(); m++) {
            double lo = MelFilterbank.melToHz(melMax * m / 126);
            double mid = MelFilterbank.melToHz(melMax * (m + 1) / 126);
            double hi = MelFilterbank.melToHz(melMax * (m + 2) / 126);
            double area = 0;
            int peakBin = 0;
            for (int k = 0; k < fb.nBins(); k++) {
                double w = fb.weight(m, k);
                double f = k * binHz;
                if (f <= lo || f >= hi) {
                    assertEquals(0, w, 0, "weight outside the triangle, mel " + m + " bin " + k);
                } else {
                    double tri = Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid));
                    assertEquals(tri * 2 / (hi - lo), w, 1e-12, "mel " + m + " bin " + k);
                }
                area += w * binHz;
                if (w > fb.weight(m, peakBin)) {
                    peakBin = k;
                }
            }
            if (hi - lo > 20 * binHz) {
                // Slaney normalisation: every triangle integrates to 1 over Hz.
                assertEquals(1.0, area, 0.02, "area of mel " + m);
                assertEquals(mid, peakBin * binHz, binHz, "peak of mel " + m);
                wide++;
            }
        }
        assertTrue(wide > 30, "wide filters: " + wide);
    }

    @Test
    void stftFramesAndHannPeakMatchRvc() {
        Stft stft = new Stft(2048, 400, 2048);
        int n = 40000;
        assertEquals(824, stft.padding());
        assertEquals(100, stft.frameCount(n)); // RVC yields len / hop frames
        int bin = 100;
        float[] x = Signals.sine(n, 40000, bin * 40000.0 / 2048, 0.5);
        float[][] mag = stft.magnitude(x);
        for (int t = 5; t < 95; t++) {
            // Periodic Hann sums to N/2, so a bin-centred sine of amplitude A peaks at A*N/4 and
            // leaks A*N/8 into each neighbour; two bins away the window's transform is zero.
            assertEquals(256.0, mag[t][bin], 0.01, "frame " + t);
            assertEquals(128.0, mag[t][bin + 1], 0.01);
            assertEquals(128.0, mag[t][bin - 1], 0.01);
            assertEquals(0.001, mag[t][bin + 5], 0.001);
        }
    }

    @Test
    void reflectPaddingDoesNotRepeatTheEdgeSample() {
        assertEquals(1, Stft.reflect(-1, 10));
        assertEquals(2, Stft.reflect(-2, 10));
        assertEquals(8, Stft.reflect(10, 10));
        assertEquals(7, Stft.reflect(11, 10));
        assertEquals(4, Stft.reflect(4, 10));
    }

    @Test
    void silenceHitsTheFloorsOfSpectralNormalize() {
        MelSpectrogram mel = new MelSpectrogram(MelConfig.RVC_40K);
        float[][] s = mel.compute(new float[8000]);
        assertEquals(20, s.length);
        MelFilterbank fb = mel.filterbank();
        for (int m = 0; m < fb.nMels(); m++) {
            double sumW = 0;
            for (int k = 0; k < fb.nBins(); k++) {
                sumW += fb.weight(m, k);
            }
            // |X| = sqrt(0 + 1e-6) = 1e-3 in every bin, then log(clamp(., 1e-5)).
            double expected = Math.log(Math.max(1e-5, 1e-3 * sumW));
            assertEquals(expected, s[10][m], 1e-5, "mel " + m);
        }
    }

    @Test
    void aToneLightsTheMelBandsAroundItsFrequency() {
        for (MelConfig c : new MelConfig[] {MelConfig.RVC_32K, MelConfig.RVC_40K, MelConfig.RVC_48K}) {
            MelSpectrogram mel = new MelSpectrogram(c);
            float[][] s = mel.compute(Signals.sine(c.sampleRate(), c.sampleRate(), 3000, 0.5));
            assertEquals(c.sampleRate() / c.hopLength(), s.length);
            float[] frame = s[s.length / 2];
            int best = 0;
            for (int m = 1; m < frame.length; m++) {
                if (frame[m] > frame[best]) {
                    best = m;
                }
            }
            double melMax = MelFilterbank.hzToMel(c.sampleRate() / 2.0);
            double lo = MelFilterbank.melToHz(melMax * best / (c.nMels() + 1));
            double hi = MelFilterbank.melToHz(melMax * (best + 2) / (c.nMels() + 1));
            assertTrue(lo < 3000 && 3000 < hi, c + ": band " + best + " spans " + lo + ".." + hi);
        }
    }
}
