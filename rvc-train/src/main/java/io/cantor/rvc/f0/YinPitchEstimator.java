package io.cantor.rvc.f0;

import io.cantor.rvc.dsp.Fft;

/**
 * YIN pitch estimation (de Cheveigné and Kawahara, 2002) at RVC's F0 frame rate: 16 kHz input,
 * hop 160 (100 frames/s), 50..1100 Hz. Per frame: the difference function
 * {@code d(tau) = sum_j (x_j - x_{j+tau})^2} computed through one FFT cross-correlation plus running
 * energies (O(N log N) instead of O(N * tau_max)), cumulative-mean normalisation
 * {@code d'(tau) = d(tau) * tau / sum_{k<=tau} d(k)}, the first dip below an absolute threshold
 * followed down to its local minimum, and parabolic interpolation of the period. A frame with no
 * dip below the threshold (noise) or too little energy (silence) is unvoiced (0 Hz).
 * {@link F0Smoother} then removes octave jumps and isolated frames.
 *
 * <p>RVC itself offers pm/harvest/crepe/rmvpe; this is a dependency-free estimator with the same
 * output contract, usable for training features and for evaluation. Thread-safe.
 */
public final class YinPitchEstimator {

    /** YIN's absolute threshold on d'; 0.1 as in the paper and librosa's {@code yin}. */
    public static final double DEFAULT_THRESHOLD = 0.1;
    /** Frames quieter than this (RMS, dBFS) are unvoiced without analysis. */
    public static final double DEFAULT_SILENCE_DB = -60;

    private final int sampleRate;
    private final int hop;
    private final double minHz;
    private final double maxHz;
    private final double threshold;
    private final double silenceRms;
    private final int tauMin;
    private final int tauMax;
    /** Integration window W; at least one period of {@code minHz} (here two). */
    private final int window;
    private final int fftSize;
    private final Fft fft;

    /** RVC's setting: 16 kHz, hop 160, 50..1100 Hz. */
    public YinPitchEstimator() {
        this(F0.SAMPLE_RATE, F0.HOP, F0.MIN_HZ, F0.MAX_HZ, DEFAULT_THRESHOLD, DEFAULT_SILENCE_DB);
    }

    public YinPitchEstimator(int sampleRate, int hop, double minHz, double maxHz, double threshold,
                             double silenceDb) {
        if (sampleRate <= 0 || hop <= 0 || minHz <= 0 || maxHz <= minHz || maxHz >= sampleRate / 4.0) {
            throw new IllegalArgumentException("need 0 < minHz < maxHz < sampleRate / 4");
        }
        this.sampleRate = sampleRate;
        this.hop = hop;
        this.minHz = minHz;
        this.maxHz = maxHz;
        this.threshold = threshold;
        this.silenceRms = Math.pow(10, silenceDb / 20);
        this.tauMin = Math.max(2, (int) Math.floor(sampleRate / maxHz));
        this.tauMax = (int) Math.ceil(sampleRate / minHz);
        this.window = 2 * tauMax;
        // The lagged copy reaches W + tau_max + 1 samples; a circular correlation of that length is exact.
        this.fftSize = Fft.sizeAtLeast(window + tauMax + 2);
        this.fft = new Fft(fftSize);
    }

    public int hop() {
        return hop;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Raw YIN track (no smoothing), one value per frame, {@code n / hop + 1} frames. */
    public float[] estimateRaw(float[] x) {
        int frames = F0.frameCount(x.length, hop);
        float[] f0 = new float[frames];
        double[] frame = new double[fftSize];
        double[] head = new double[fftSize];
        double[] xr = new double[fftSize / 2 + 1];
        double[] xi = new double[fftSize / 2 + 1];
        double[] wr = new double[fftSize / 2 + 1];
        double[] wi = new double[fftSize / 2 + 1];
        double[] corr = new double[fftSize];
        double[] energy = new double[window + tauMax + 3];
        double[] cmnd = new double[tauMax + 2];
        // Centre the integration window (plus half a typical lag) on the frame's time.
        int offset = (window + (tauMin + tauMax) / 2) / 2;
        int span = window + tauMax + 2;
        for (int t = 0; t < frames; t++) {
            int start = t * hop - offset;
            double sumSq = 0;
            for (int i = 0; i < span; i++) {
                int k = start + i;
                double v = k >= 0 && k < x.length ? x[k] : 0;
                frame[i] = v;
                sumSq += v * v;
            }
            if (Math.sqrt(sumSq / span) < silenceRms) {
                continue;
            }
            java.util.Arrays.fill(frame, span, fftSize, 0);
            System.arraycopy(frame, 0, head, 0, window);
            java.util.Arrays.fill(head, window, fftSize, 0);
            f0[t] = (float) analyse(frame, head, xr, xi, wr, wi, corr, energy, cmnd);
        }
        return f0;
    }

    /** YIN track with {@link F0Smoother#smooth} applied. */
    public float[] estimate(float[] x) {
        return F0Smoother.smooth(estimateRaw(x));
    }

    private double analyse(double[] frame, double[] head, double[] xr, double[] xi, double[] wr, double[] wi,
                           double[] corr, double[] energy, double[] cmnd) {
        // r(tau) = sum_{j<W} x_j x_{j+tau} = IFFT(conj(FFT(head)) * FFT(frame)).
        fft.realForward(frame, xr, xi);
        fft.realForward(head, wr, wi);
        for (int k = 0; k < xr.length; k++) {
            double re = wr[k] * xr[k] + wi[k] * xi[k];
            double im = wr[k] * xi[k] - wi[k] * xr[k];
            xr[k] = re;
            xi[k] = im;
        }
        fft.realInverse(xr, xi, corr);
        energy[0] = 0;
        for (int i = 0; i < window + tauMax + 2; i++) {
            energy[i + 1] = energy[i] + frame[i] * frame[i];
        }
        double e0 = energy[window];
        cmnd[0] = 1;
        double running = 0;
        for (int tau = 1; tau <= tauMax + 1; tau++) {
            double eTau = energy[tau + window] - energy[tau];
            double d = Math.max(0, e0 + eTau - 2 * corr[tau]);
            running += d;
            cmnd[tau] = running > 0 ? d * tau / running : 1;
        }
        int tau = -1;
        for (int k = tauMin; k <= tauMax; k++) {
            if (cmnd[k] < threshold) {
                tau = k;
                while (tau + 1 <= tauMax && cmnd[tau + 1] < cmnd[tau]) {
                    tau++;
                }
                break;
            }
        }
        if (tau < 0) {
            return 0;
        }
        double a = cmnd[tau - 1];
        double b = cmnd[tau];
        double c = cmnd[tau + 1];
        double denominator = a - 2 * b + c;
        double shift = denominator > 0 ? 0.5 * (a - c) / denominator : 0;
        shift = Math.max(-1, Math.min(1, shift));
        double hz = sampleRate / (tau + shift);
        return hz >= minHz && hz <= maxHz ? hz : 0;
    }
}
