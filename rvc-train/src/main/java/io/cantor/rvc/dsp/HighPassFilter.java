package io.cantor.rvc.dsp;

/**
 * Digital Butterworth high-pass filter as second-order sections, designed like scipy's
 * {@code signal.butter(N, Wn, btype="high", fs=fs)} (analog prototype, frequency pre-warping,
 * bilinear transform), and applied causally from a zero state like {@code signal.lfilter}. RVC's
 * preprocess uses order 5 at 48 Hz ({@link #rvc(int)}) to remove rumble and DC before slicing.
 *
 * <p>Sections are cascaded in double precision; the transfer function equals scipy's {@code (b, a)}
 * form, but the cascade is numerically safer at such a low cutoff. An instance keeps the filter
 * state between {@link #process} calls, so long recordings can be filtered in blocks; it is not
 * thread-safe. {@link #filter} starts from a zero state every time.
 */
public final class HighPassFilter {

    /** RVC's {@code signal.butter(N=5, Wn=48, btype="high", fs=sr)}. */
    public static final int RVC_ORDER = 5;
    public static final double RVC_CUTOFF_HZ = 48.0;

    private final int order;
    private final double cutoffHz;
    private final double sampleRate;
    /** Per section: b0, b1, b2, a1, a2 (a0 = 1). */
    private final double[] coefficients;
    /** Per section: two transposed-direct-form-II state variables. */
    private final double[] state;

    public HighPassFilter(int order, double cutoffHz, double sampleRate) {
        if (order < 1 || cutoffHz <= 0 || cutoffHz >= sampleRate / 2) {
            throw new IllegalArgumentException("need order >= 1 and 0 < cutoff < Nyquist");
        }
        this.order = order;
        this.cutoffHz = cutoffHz;
        this.sampleRate = sampleRate;
        int sections = (order + 1) / 2;
        coefficients = new double[sections * 5];
        state = new double[sections * 2];
        // Pre-warped analog cutoff, with the bilinear transform written as s = (z - 1) / (z + 1).
        double k = Math.tan(Math.PI * cutoffHz / sampleRate);
        int s = 0;
        // Butterworth prototype poles p_m = -exp(i*pi*m/(2N)), m = -N+1, -N+3, ..., N-1 (scipy buttap).
        // Low-pass to high-pass maps p -> k / p; each conjugate pair (m > 0) makes one biquad.
        for (int m = order - 1; m >= 0; m -= 2) {
            double theta = Math.PI * m / (2.0 * order);
            double pr = -Math.cos(theta);
            double pi = -Math.sin(theta);
            // k / p with |p| = 1 is k * conj(p).
            double sr = k * pr;
            double si = -k * pi;
            // Bilinear: z = (1 + s) / (1 - s).
            double dr = 1 - sr;
            double di = -si;
            double den = dr * dr + di * di;
            double zr = ((1 + sr) * dr + si * di) / den;
            double zi = (si * dr - (1 + sr) * di) / den;
            int c = s * 5;
            if (m == 0) {
                // Real pole: first-order section (1 - z^-1) / (1 - zr z^-1), unit gain at Nyquist.
                double g = (1 + zr) / 2;
                coefficients[c] = g;
                coefficients[c + 1] = -g;
                coefficients[c + 2] = 0;
                coefficients[c + 3] = -zr;
                coefficients[c + 4] = 0;
            } else {
                // Double zero at z = 1 (DC); poles z, conj(z). |H(-1)| = 1 as the analog |H(inf)| = 1.
                double a1 = -2 * zr;
                double a2 = zr * zr + zi * zi;
                double g = (1 - a1 + a2) / 4;
                coefficients[c] = g;
                coefficients[c + 1] = -2 * g;
                coefficients[c + 2] = g;
                coefficients[c + 3] = a1;
                coefficients[c + 4] = a2;
            }
            s++;
        }
    }

    /** The filter RVC's preprocess applies at the training sample rate. */
    public static HighPassFilter rvc(int sampleRate) {
        return new HighPassFilter(RVC_ORDER, RVC_CUTOFF_HZ, sampleRate);
    }

    public int order() {
        return order;
    }

    public double cutoffHz() {
        return cutoffHz;
    }

    /** Filters a whole signal from a zero state ({@code lfilter}), returning a new array. */
    public float[] filter(float[] x) {
        HighPassFilter fresh = new HighPassFilter(order, cutoffHz, sampleRate);
        float[] y = x.clone();
        fresh.process(y, 0, y.length);
        return y;
    }

    /** Filters {@code buf[offset..offset+length)} in place, continuing from the previous call's state. */
    public void process(float[] buf, int offset, int length) {
        int sections = coefficients.length / 5;
        double[] work = new double[Math.min(length, 1 << 14)];
        for (int start = 0; start < length; start += work.length) {
            int n = Math.min(work.length, length - start);
            for (int i = 0; i < n; i++) {
                work[i] = buf[offset + start + i];
            }
            // Section by section over the block keeps each section's coefficients in registers.
            for (int s = 0; s < sections; s++) {
                int c = s * 5;
                double b0 = coefficients[c];
                double b1 = coefficients[c + 1];
                double b2 = coefficients[c + 2];
                double a1 = coefficients[c + 3];
                double a2 = coefficients[c + 4];
                double z1 = state[2 * s];
                double z2 = state[2 * s + 1];
                for (int i = 0; i < n; i++) {
                    double in = work[i];
                    double out = b0 * in + z1;
                    z1 = b1 * in - a1 * out + z2;
                    z2 = b2 * in - a2 * out;
                    work[i] = out;
                }
                state[2 * s] = z1;
                state[2 * s + 1] = z2;
            }
            for (int i = 0; i < n; i++) {
                buf[offset + start + i] = (float) work[i];
            }
        }
    }

    /** Clears the state, as if no sample had been processed. */
    public void reset() {
        java.util.Arrays.fill(state, 0);
    }

    /** |H(e^{i w})| at frequency {@code hz}, from the sections (for checks and plots). */
    public double magnitudeAt(double hz) {
        double w = 2 * Math.PI * hz / sampleRate;
        double cr = Math.cos(w);
        double ci = -Math.sin(w);
        double c2r = Math.cos(2 * w);
        double c2i = -Math.sin(2 * w);
        double mag = 1;
        for (int c = 0; c < coefficients.length; c += 5) {
            double nr = coefficients[c] + coefficients[c + 1] * cr + coefficients[c + 2] * c2r;
            double ni = coefficients[c + 1] * ci + coefficients[c + 2] * c2i;
            double dr = 1 + coefficients[c + 3] * cr + coefficients[c + 4] * c2r;
            double di = coefficients[c + 3] * ci + coefficients[c + 4] * c2i;
            mag *= Math.hypot(nr, ni) / Math.hypot(dr, di);
        }
        return mag;
    }
}
