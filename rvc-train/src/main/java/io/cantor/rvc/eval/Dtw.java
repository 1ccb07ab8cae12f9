package io.cantor.rvc.eval;

/**
 * Dynamic time warping between two frame sequences, for comparing parallel utterances of different
 * lengths. Steps (1,0), (0,1), (1,1) with unit weights; the path runs from (0,0) to (n-1,m-1). An
 * optional Sakoe-Chiba band of half-width {@code band} frames around the (length-scaled) diagonal
 * bounds time and memory to O((n) * band); only cells inside the band are stored.
 */
public final class Dtw {

    /** Distance between frame {@code i} of the first sequence and frame {@code j} of the second. */
    @FunctionalInterface
    public interface FrameDistance {
        double between(int i, int j);
    }

    /**
     * The optimal path as parallel index arrays ({@code a[k]} aligned with {@code b[k]}), and its cost
     * (sum of frame distances along the path).
     */
    public record Alignment(int[] a, int[] b, double totalCost) {
        public int length() {
            return a.length;
        }

        public double meanCost() {
            return totalCost / a.length;
        }
    }

    /** No band: every cell may be on the path. */
    public static final int UNCONSTRAINED = -1;

    private Dtw() {
    }

    /** Aligns two sequences of vectors by Euclidean distance. */
    public static Alignment align(double[][] a, double[][] b, int band) {
        return align(a.length, b.length, (i, j) -> euclidean(a[i], b[j]), band);
    }

    public static Alignment align(int n, int m, FrameDistance distance, int band) {
        if (n <= 0 || m <= 0) {
            throw new IllegalArgumentException("DTW needs two non-empty sequences");
        }
        double slope = n == 1 ? 0 : (double) (m - 1) / (n - 1);
        int half;
        if (band < 0) {
            half = m;
        } else {
            // Consecutive rows' windows must touch, or the end cell would be unreachable.
            half = Math.max(band, (int) Math.ceil((slope - 1) / 2));
        }
        int[] lo = new int[n];
        int[] hi = new int[n];
        long[] offset = new long[n + 1];
        for (int i = 0; i < n; i++) {
            double centre = i * slope;
            lo[i] = Math.max(0, (int) Math.floor(centre) - half);
            hi[i] = Math.min(m - 1, (int) Math.ceil(centre) + half);
            offset[i + 1] = offset[i] + (hi[i] - lo[i] + 1);
        }
        if (offset[n] > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("DTW matrix of " + offset[n] + " cells; use a band");
        }
        double[] cost = new double[(int) offset[n]];
        byte[] step = new byte[cost.length]; // 0 diagonal, 1 from (i-1, j), 2 from (i, j-1)
        for (int i = 0; i < n; i++) {
            int base = (int) offset[i];
            for (int j = lo[i]; j <= hi[i]; j++) {
                double d = distance.between(i, j);
                int cell = base + j - lo[i];
                if (i == 0 && j == 0) {
                    cost[cell] = d;
                    continue;
                }
                double best = Double.POSITIVE_INFINITY;
                byte from = 0;
                if (i > 0 && j > 0 && j - 1 >= lo[i - 1] && j - 1 <= hi[i - 1]) {
                    best = cost[(int) offset[i - 1] + j - 1 - lo[i - 1]];
                }
                if (i > 0 && j >= lo[i - 1] && j <= hi[i - 1]) {
                    double c = cost[(int) offset[i - 1] + j - lo[i - 1]];
                    if (c < best) {
                        best = c;
                        from = 1;
                    }
                }
                if (j > lo[i]) {
                    double c = cost[cell - 1];
                    if (c < best) {
                        best = c;
                        from = 2;
                    }
                }
                cost[cell] = best + d;
                step[cell] = from;
            }
        }
        // Backtrack from the end.
        int[] pa = new int[n + m];
        int[] pb = new int[n + m];
        int k = 0;
        int i = n - 1;
        int j = m - 1;
        double total = cost[(int) offset[n - 1] + j - lo[n - 1]];
        while (true) {
            pa[k] = i;
            pb[k] = j;
            k++;
            if (i == 0 && j == 0) {
                break;
            }
            byte s = step[(int) offset[i] + j - lo[i]];
            if (s == 0) {
                i--;
                j--;
            } else if (s == 1) {
                i--;
            } else {
                j--;
            }
        }
        int[] a = new int[k];
        int[] b = new int[k];
        for (int t = 0; t < k; t++) {
            a[t] = pa[k - 1 - t];
            b[t] = pb[k - 1 - t];
        }
        return new Alignment(a, b, total);
    }

    static double euclidean(double[] x, double[] y) {
        double s = 0;
        for (int d = 0; d < x.length; d++) {
            double diff = x[d] - y[d];
            s += diff * diff;
        }
        return Math.sqrt(s);
    }
}
