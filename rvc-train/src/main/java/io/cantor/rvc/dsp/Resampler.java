package io.cantor.rvc.dsp;

/**
 * Band-limited sample-rate conversion by Kaiser-windowed sinc interpolation (the method of resampy's
 * {@code kaiser_best}, which RVC's librosa 0.9 uses for its 16 kHz copies), as a polyphase filter.
 *
 * <p>For a reduced ratio {@code up/down} the output sample {@code n} lies at input time
 * {@code n*down/up}; its fractional part takes one of {@code up} values, so one tap row per phase is
 * precomputed. When {@code up} is large (odd rates), 1024 rows are precomputed and neighbouring rows
 * are linearly interpolated, which keeps kernel errors near -100 dB.
 *
 * <p>Defaults: 32 zero crossings per side, Kaiser beta 9, cutoff at 0.9 of the lower Nyquist. That
 * keeps the passband flat to 0.01 dB up to 0.83 of the lower Nyquist and attenuates everything at or
 * above the lower Nyquist by more than 80 dB. Signal edges are zero-extended; output length is
 * {@code ceil(n * to / from)} as in librosa. Instances are immutable and thread-safe.
 */
public final class Resampler {

    public static final int DEFAULT_ZERO_CROSSINGS = 32;
    public static final double DEFAULT_BETA = 9.0;
    public static final double DEFAULT_ROLLOFF = 0.9;
    private static final int MAX_EXACT_PHASES = 1024;

    private final int fromRate;
    private final int toRate;
    private final int up;
    private final int down;
    /** Tap offsets run from {@code -(taps/2 - 1)} to {@code taps/2} around the integer input position. */
    private final int taps;
    private final int phases;
    private final boolean exact;
    /** {@code rows[p * taps + j]}: weight of input {@code floor(t) - taps/2 + 1 + j} at fraction {@code p / phases}. */
    private final float[] rows;

    public Resampler(int fromRate, int toRate) {
        this(fromRate, toRate, DEFAULT_ZERO_CROSSINGS, DEFAULT_BETA, DEFAULT_ROLLOFF);
    }

    public Resampler(int fromRate, int toRate, int zeroCrossings, double beta, double rolloff) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive");
        }
        if (zeroCrossings < 1 || rolloff <= 0 || rolloff > 1) {
            throw new IllegalArgumentException("need zeroCrossings >= 1 and 0 < rolloff <= 1");
        }
        this.fromRate = fromRate;
        this.toRate = toRate;
        int g = gcd(fromRate, toRate);
        this.up = toRate / g;
        this.down = fromRate / g;
        // Cutoff in cycles per input sample, relative to input Nyquist: below the lower of the two Nyquists.
        double cutoff = rolloff * Math.min(1.0, (double) toRate / fromRate);
        double halfWidth = zeroCrossings / cutoff; // in input samples
        int half = (int) Math.ceil(halfWidth) + 1;
        this.taps = 2 * half;
        this.exact = up <= MAX_EXACT_PHASES;
        this.phases = exact ? up : MAX_EXACT_PHASES;
        int rowCount = exact ? phases : phases + 1;
        this.rows = new float[rowCount * taps];
        double i0Beta = besselI0(beta);
        for (int p = 0; p < rowCount; p++) {
            double frac = (double) p / phases;
            double sum = 0;
            double[] row = new double[taps];
            for (int j = 0; j < taps; j++) {
                double tau = frac - (j - half + 1); // distance from output time to this input sample
                double r = tau / halfWidth;
                if (Math.abs(r) < 1) {
                    double w = besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
                    row[j] = cutoff * sinc(cutoff * tau) * w;
                    sum += row[j];
                }
            }
            // Unit DC gain for every phase, so a constant stays constant whatever the fraction.
            for (int j = 0; j < taps; j++) {
                rows[p * taps + j] = (float) (row[j] / sum);
            }
        }
    }

    public int fromRate() {
        return fromRate;
    }

    public int toRate() {
        return toRate;
    }

    /** {@code ceil(n * toRate / fromRate)}. */
    public int outputLength(int n) {
        long num = (long) n * up;
        return (int) ((num + down - 1) / down);
    }

    /** Resamples a whole signal. Returns a copy even when the rates are equal. */
    public float[] resample(float[] x) {
        if (up == down) {
            return x.clone();
        }
        int outLen = outputLength(x.length);
        float[] y = new float[outLen];
        int half = taps / 2;
        int n = x.length;
        long pos = 0; // n * down, tracked incrementally
        for (int o = 0; o < outLen; o++, pos += down) {
            int base = (int) (pos / up);
            int phaseNum = (int) (pos - (long) base * up);
            int first = base - half + 1;
            double acc;
            if (exact) {
                acc = dot(x, n, first, phaseNum * taps);
            } else {
                double f = (double) phaseNum * phases / up;
                int p = (int) f;
                double a = f - p;
                double lo = dot(x, n, first, p * taps);
                double hi = dot(x, n, first, (p + 1) * taps);
                acc = lo + a * (hi - lo);
            }
            y[o] = (float) acc;
        }
        return y;
    }

    private double dot(float[] x, int n, int first, int rowOffset) {
        float[] h = rows;
        int t = taps;
        double s0 = 0;
        double s1 = 0;
        if (first >= 0 && first + t <= n) {
            int j = 0;
            for (; j + 1 < t; j += 2) {
                s0 += h[rowOffset + j] * x[first + j];
                s1 += h[rowOffset + j + 1] * x[first + j + 1];
            }
            for (; j < t; j++) {
                s0 += h[rowOffset + j] * x[first + j];
            }
        } else {
            int from = Math.max(0, -first);
            int to = Math.min(t, n - first);
            for (int j = from; j < to; j++) {
                s0 += h[rowOffset + j] * x[first + j];
            }
        }
        return s0 + s1;
    }

    private static double sinc(double x) {
        if (x == 0) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Modified Bessel function of the first kind, order 0 (power series; converges fast for beta < 50). */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
