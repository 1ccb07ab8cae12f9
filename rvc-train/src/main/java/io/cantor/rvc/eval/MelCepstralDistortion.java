package io.cantor.rvc.eval;

import io.cantor.rvc.dsp.Fft;
import io.cantor.rvc.dsp.MelConfig;
import io.cantor.rvc.dsp.MelSpectrogram;

/**
 * Mel-cepstral distortion, {@code MCD = (10 / ln 10) * sqrt(2 * sum_{d=1..D} (c_d - c'_d)^2)} dB per
 * frame, averaged over frames; c0 (overall level) is excluded, D = 24 by default.
 *
 * <p>Mel-cepstra here are the DCT-II of a natural-log mel amplitude spectrum (80 Slaney bands, as
 * {@link MelSpectrogram} computes), scaled so {@code L(m) = c0 + 2 sum_n c_n cos(pi n (m + 1/2) / M)}:
 * the same convention as SPTK mel-cepstra, so a log-spectral difference maps to the same number of
 * dB. Values are comparable in size to SPTK/WORLD-based MCD, not identical (a filterbank-smoothed
 * envelope instead of mel-generalised cepstral analysis). Compare numbers produced by this class
 * with each other.
 */
public final class MelCepstralDistortion {

    public static final int DEFAULT_ORDER = 24;
    public static final int ANALYSIS_MELS = 80;
    private static final double DB = 10 / Math.log(10);

    /** Mean MCD over aligned frames, the frame count, and the DTW path (null when not aligned). */
    public record Result(double mcdDb, int frames, Dtw.Alignment alignment) {
    }

    private MelCepstralDistortion() {
    }

    /** Analysis settings for MCD at a sample rate: ~40 ms windows, 10 ms hop, 80 mel bands to Nyquist. */
    public static MelConfig analysisConfig(int sampleRate) {
        int win = (int) Math.round(0.04 * sampleRate);
        int nFft = Fft.sizeAtLeast(win);
        int hop = (int) Math.round(0.01 * sampleRate);
        return new MelConfig(sampleRate, nFft, hop, nFft, ANALYSIS_MELS, 0, 0);
    }

    /** Mel-cepstra {@code c_0..c_order} of each frame of a natural-log mel spectrogram {@code [frame][mel]}. */
    public static double[][] melCepstra(float[][] logMel, int order) {
        if (logMel.length == 0) {
            return new double[0][];
        }
        int bands = logMel[0].length;
        if (order >= bands) {
            throw new IllegalArgumentException("order " + order + " needs more than " + bands + " mel bands");
        }
        double[][] basis = new double[order + 1][bands];
        for (int n = 0; n <= order; n++) {
            for (int m = 0; m < bands; m++) {
                basis[n][m] = Math.cos(Math.PI * n * (m + 0.5) / bands) / bands;
            }
        }
        double[][] out = new double[logMel.length][order + 1];
        for (int t = 0; t < logMel.length; t++) {
            float[] l = logMel[t];
            for (int n = 0; n <= order; n++) {
                double s = 0;
                double[] b = basis[n];
                for (int m = 0; m < bands; m++) {
                    s += b[m] * l[m];
                }
                out[t][n] = s;
            }
        }
        return out;
    }

    /** MCD in dB between two cepstral frames, over c_1..c_order. */
    public static double frameDistortion(double[] c, double[] other, int order) {
        double s = 0;
        for (int d = 1; d <= order; d++) {
            double diff = c[d] - other[d];
            s += diff * diff;
        }
        return DB * Math.sqrt(2 * s);
    }

    /**
     * Mean MCD between two cepstra sequences.
     *
     * @param align align with {@link Dtw} (on the same c_1..c_order distance) instead of frame by frame
     *              over the shorter length
     * @param band  Sakoe-Chiba half-width in frames, or {@link Dtw#UNCONSTRAINED}
     */
    public static Result compare(double[][] reference, double[][] test, int order, boolean align, int band) {
        if (reference.length == 0 || test.length == 0) {
            throw new IllegalArgumentException("MCD needs non-empty sequences");
        }
        if (!align) {
            int n = Math.min(reference.length, test.length);
            double sum = 0;
            for (int t = 0; t < n; t++) {
                sum += frameDistortion(reference[t], test[t], order);
            }
            return new Result(sum / n, n, null);
        }
        Dtw.Alignment path = Dtw.align(reference.length, test.length,
                (i, j) -> frameDistortion(reference[i], test[j], order), band);
        return new Result(path.meanCost(), path.length(), path);
    }

    /** MCD between two waveforms at the same rate, DTW-aligned, D = 24. */
    public static Result compare(float[] reference, float[] test, int sampleRate) {
        MelSpectrogram mel = new MelSpectrogram(analysisConfig(sampleRate));
        double[][] a = melCepstra(mel.compute(reference), DEFAULT_ORDER);
        double[][] b = melCepstra(mel.compute(test), DEFAULT_ORDER);
        return compare(a, b, DEFAULT_ORDER, true, Dtw.UNCONSTRAINED);
    }
}
