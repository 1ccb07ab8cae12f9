package io.cantor.rvc.dsp;

/**
 * librosa's {@code filters.mel} with its defaults ({@code htk=False, norm="slaney"}), which RVC uses
 * through {@code librosa_mel_fn}: triangles on the Slaney mel scale (linear below 1 kHz, logarithmic
 * above), each scaled by {@code 2 / (f_hi - f_lo)} so that every band has equal area. Stored sparsely
 * because each triangle covers only a few FFT bins.
 */
public final class MelFilterbank {

    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOG_STEP = Math.log(6.4) / 27.0;

    private final int nBins;
    private final int[] firstBin;
    private final double[][] weights;

    public MelFilterbank(int sampleRate, int nFft, int nMels, double fmin, double fmax) {
        nBins = nFft / 2 + 1;
        double[] fftFreqs = new double[nBins];
        for (int k = 0; k < nBins; k++) {
            fftFreqs[k] = k * (sampleRate / 2.0) / (nBins - 1);
        }
        double melMin = hzToMel(fmin);
        double melMax = hzToMel(fmax);
        double[] edges = new double[nMels + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHz(melMin + (melMax - melMin) * i / (nMels + 1));
        }
        firstBin = new int[nMels];
        weights = new double[nMels][];
        for (int m = 0; m < nMels; m++) {
            double lo = edges[m];
            double mid = edges[m + 1];
            double hi = edges[m + 2];
            double norm = 2.0 / (hi - lo);
            double[] row = new double[nBins];
            int first = -1;
            int last = -1;
            for (int k = 0; k < nBins; k++) {
                double lower = (fftFreqs[k] - lo) / (mid - lo);
                double upper = (hi - fftFreqs[k]) / (hi - mid);
                double w = Math.max(0, Math.min(lower, upper));
                if (w > 0) {
                    row[k] = w * norm;
                    if (first < 0) {
                        first = k;
                    }
                    last = k;
                }
            }
            if (first < 0) {
                // librosa warns about empty filters (too many mels for n_fft) and keeps them as zeros.
                firstBin[m] = 0;
                weights[m] = new double[0];
            } else {
                firstBin[m] = first;
                weights[m] = java.util.Arrays.copyOfRange(row, first, last + 1);
            }
        }
    }

    public MelFilterbank(MelConfig c) {
        this(c.sampleRate(), c.nFft(), c.nMels(), c.fmin(), c.effectiveFmax());
    }

    public int nMels() {
        return weights.length;
    }

    public int nBins() {
        return nBins;
    }

    /** Weight of FFT bin {@code bin} in mel band {@code mel}. */
    public double weight(int mel, int bin) {
        int j = bin - firstBin[mel];
        return j >= 0 && j < weights[mel].length ? weights[mel][j] : 0;
    }

    /** {@code out[m] = sum_k W[m][k] * spectrum[k]}. */
    public void apply(float[] spectrum, double[] out) {
        for (int m = 0; m < weights.length; m++) {
            double[] w = weights[m];
            int off = firstBin[m];
            double s = 0;
            for (int j = 0; j < w.length; j++) {
                s += w[j] * spectrum[off + j];
            }
            out[m] = s;
        }
    }

    /** Slaney mel scale (librosa {@code hz_to_mel(htk=False)}). */
    public static double hzToMel(double hz) {
        return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
    }

    public static double melToHz(double mel) {
        return mel < MIN_LOG_MEL ? mel * F_SP : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
    }
}
