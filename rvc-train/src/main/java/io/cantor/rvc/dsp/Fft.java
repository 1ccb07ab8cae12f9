package io.cantor.rvc.dsp;

/**
 * Radix-2 FFT with precomputed twiddles and bit-reversal table. A real transform of size n runs as a
 * complex transform of size n/2 plus one O(n) split pass, so it costs about half a complex FFT.
 * Instances hold only immutable tables and are safe to share between threads.
 */
public final class Fft {

    private final int n;
    private final int half;
    private final int[] bitReverse;
    /** cos/sin(2*pi*t/half) for the complex transform of size half. */
    private final double[] cos;
    private final double[] sin;
    /** cos/sin(2*pi*k/n) for the real split pass, k = 0..n/4. */
    private final double[] splitCos;
    private final double[] splitSin;

    /** @param n real transform size; a power of two, at least 4 */
    public Fft(int n) {
        if (n < 4 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT size must be a power of two >= 4: " + n);
        }
        this.n = n;
        this.half = n / 2;
        int bits = Integer.numberOfTrailingZeros(half);
        bitReverse = new int[half];
        for (int i = 0; i < half; i++) {
            bitReverse[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        }
        cos = new double[Math.max(1, half / 2)];
        sin = new double[cos.length];
        for (int t = 0; t < cos.length; t++) {
            double a = 2 * Math.PI * t / half;
            cos[t] = Math.cos(a);
            sin[t] = Math.sin(a);
        }
        splitCos = new double[n / 4 + 1];
        splitSin = new double[n / 4 + 1];
        for (int k = 0; k <= n / 4; k++) {
            double a = 2 * Math.PI * k / n;
            splitCos[k] = Math.cos(a);
            splitSin[k] = Math.sin(a);
        }
    }

    public int size() {
        return n;
    }

    /** Smallest power of two >= {@code n} (and >= 4). */
    public static int sizeAtLeast(int n) {
        return Math.max(4, Integer.highestOneBit(Math.max(1, n - 1)) << 1);
    }

    /**
     * Forward real DFT, {@code X[k] = sum_j x[j] e^{-2 pi i jk/n}}, unnormalised.
     *
     * @param input n samples (not modified)
     * @param re    receives Re X[0..n/2]; length >= n/2 + 1
     * @param im    receives Im X[0..n/2]; length >= n/2 + 1
     */
    public void realForward(double[] input, double[] re, double[] im) {
        int m = half;
        for (int j = 0; j < m; j++) {
            int r = bitReverse[j];
            re[r] = input[2 * j];
            im[r] = input[2 * j + 1];
        }
        butterflies(re, im, -1);
        double z0r = re[0];
        double z0i = im[0];
        re[0] = z0r + z0i;
        im[0] = 0;
        re[m] = z0r - z0i;
        im[m] = 0;
        for (int k = 1; k <= m / 2; k++) {
            int mk = m - k;
            double ar = re[k];
            double ai = im[k];
            double br = re[mk];
            double bi = im[mk];
            // Even part E = (Z[k] + conj Z[m-k]) / 2, odd part O = -i (Z[k] - conj Z[m-k]) / 2.
            double er = 0.5 * (ar + br);
            double ei = 0.5 * (ai - bi);
            double or = 0.5 * (ai + bi);
            double oi = -0.5 * (ar - br);
            double wr = splitCos[k];
            double wi = -splitSin[k];
            double tr = wr * or - wi * oi;
            double ti = wr * oi + wi * or;
            re[k] = er + tr;
            im[k] = ei + ti;
            re[mk] = er - tr;
            im[mk] = -(ei - ti);
        }
    }

    /**
     * Inverse of {@link #realForward}: {@code x[j] = (1/n) sum_k X[k] e^{+2 pi i jk/n}} for a real signal.
     * {@code re} and {@code im} (bins 0..n/2) are used as scratch and overwritten.
     */
    public void realInverse(double[] re, double[] im, double[] output) {
        int m = half;
        double x0 = re[0];
        double xm = re[m];
        re[0] = 0.5 * (x0 + xm);
        im[0] = 0.5 * (x0 - xm);
        for (int k = 1; k <= m / 2; k++) {
            int mk = m - k;
            double ar = re[k];
            double ai = im[k];
            double br = re[mk];
            double bi = im[mk];
            double er = 0.5 * (ar + br);
            double ei = 0.5 * (ai - bi);
            double dr = ar - br;
            double di = ai + bi;
            double wr = splitCos[k];
            double wi = splitSin[k];
            double or = 0.5 * (dr * wr - di * wi);
            double oi = 0.5 * (dr * wi + di * wr);
            re[k] = er - oi;
            im[k] = ei + or;
            re[mk] = er + oi;
            im[mk] = -ei + or;
        }
        // In-place bit reversal, then the inverse butterflies.
        for (int j = 0; j < m; j++) {
            int r = bitReverse[j];
            if (r > j) {
                double t = re[j];
                re[j] = re[r];
                re[r] = t;
                t = im[j];
                im[j] = im[r];
                im[r] = t;
            }
        }
        butterflies(re, im, +1);
        double scale = 1.0 / m;
        for (int j = 0; j < m; j++) {
            output[2 * j] = re[j] * scale;
            output[2 * j + 1] = im[j] * scale;
        }
    }

    /** Iterative radix-2 butterflies on bit-reversed data of length n/2; sign -1 forward, +1 inverse. */
    private void butterflies(double[] re, double[] im, int sign) {
        int m = half;
        for (int size = 2; size <= m; size <<= 1) {
            int h = size >>> 1;
            int step = m / size;
            for (int k = 0; k < h; k++) {
                double wr = cos[k * step];
                double wi = sign * sin[k * step];
                for (int j = k; j < m; j += size) {
                    int l = j + h;
                    double tr = wr * re[l] - wi * im[l];
                    double ti = wr * im[l] + wi * re[l];
                    re[l] = re[j] - tr;
                    im[l] = im[j] - ti;
                    re[j] += tr;
                    im[j] += ti;
                }
            }
        }
    }
}
