package io.cantor.rvc.dsp;

import java.util.Random;

/** Synthetic test signals whose content is known exactly. Shared by the DSP, F0 and eval tests. */
public final class Signals {

    private Signals() {
    }

    public static int samples(double seconds, int sampleRate) {
        return (int) Math.round(seconds * sampleRate);
    }

    public static float[] sine(int n, int sampleRate, double hz, double amplitude) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / sampleRate));
        }
        return x;
    }

    /**
     * A band-limited sawtooth-like harmonic series with {@code 1/k} amplitudes (all harmonics below
     * 0.45 of the sample rate), normalised to the given peak-ish amplitude.
     */
    public static float[] harmonic(int n, int sampleRate, double f0, double amplitude) {
        return glide(n, sampleRate, f0, f0, amplitude);
    }

    /** A harmonic series whose F0 moves exponentially from {@code f0Start} to {@code f0End}. */
    public static float[] glide(int n, int sampleRate, double f0Start, double f0End, double amplitude) {
        float[] x = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double f0 = f0At(i, n, f0Start, f0End);
            double s = 0;
            for (int k = 1; k * f0 < 0.45 * sampleRate; k++) {
                s += Math.sin(k * phase) / k;
            }
            x[i] = (float) (amplitude * 0.6 * s);
            phase += 2 * Math.PI * f0 / sampleRate;
        }
        return x;
    }

    /** The instantaneous F0 of {@link #glide} at sample {@code i}. */
    public static double f0At(double i, int n, double f0Start, double f0End) {
        return f0Start * Math.pow(f0End / f0Start, i / Math.max(1, n - 1));
    }

    public static float[] gaussian(int n, double sigma, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (sigma * r.nextGaussian());
        }
        return x;
    }

    /** Uniform noise from a 64-bit LCG, reproducible bit for bit in numpy (used for RVC reference values). */
    public static float[] lcgNoise(int n, double amplitude, long seed) {
        float[] x = new float[n];
        long s = seed;
        for (int i = 0; i < n; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            x[i] = (float) (((s >>> 33) / 2147483648.0 - 0.5) * amplitude);
        }
        return x;
    }

    public static float[] add(float[] a, float[] b) {
        float[] y = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }

    public static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] y = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, y, o, p.length);
            o += p.length;
        }
        return y;
    }

    public static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return Math.sqrt(s / (to - from));
    }

    /** Least-squares amplitude of a sinusoid of known frequency in {@code x[from..to)}. */
    public static double amplitudeAt(float[] x, int from, int to, int sampleRate, double hz) {
        double ss = 0;
        double cc = 0;
        double sc = 0;
        double xs = 0;
        double xc = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * hz * i / sampleRate;
            double s = Math.sin(w);
            double c = Math.cos(w);
            ss += s * s;
            cc += c * c;
            sc += s * c;
            xs += x[i] * s;
            xc += x[i] * c;
        }
        double det = ss * cc - sc * sc;
        double a = (xs * cc - xc * sc) / det;
        double b = (xc * ss - xs * sc) / det;
        return Math.hypot(a, b);
    }

    public static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }
}
