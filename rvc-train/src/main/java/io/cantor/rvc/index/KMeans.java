package io.cantor.rvc.index;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Lloyd's k-means with k-means++ seeding, deterministic for a given seed (the parallel assignment
 * step computes each point independently; centroid sums are accumulated in a fixed order). Used to
 * train the coarse quantiser of {@link IvfIndex}, as faiss does for RVC's {@code IVF<n>,Flat}.
 * Data are row-major {@code float[n * dim]}.
 */
public final class KMeans {

    /** Point blocks handed to the fork-join pool; big enough to amortise scheduling. */
    private static final int BLOCK = 256;

    /**
     * @param centroids  {@code float[k * dim]}
     * @param assignment nearest centroid of each point after the last iteration
     * @param inertia    sum of squared distances of points to their centroids
     * @param iterations centroid updates run (fewer than asked once assignments stop changing)
     */
    public record Result(float[] centroids, int k, int dim, int[] assignment, double inertia, int iterations) {
    }

    private KMeans() {
    }

    public static Result fit(float[] data, int n, int dim, int k, int maxIterations, long seed) {
        if (n < 1 || dim < 1 || data.length < (long) n * dim) {
            throw new IllegalArgumentException("data must hold n * dim values");
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("need 1 <= k <= n, got k=" + k + " n=" + n);
        }
        float[] centroids = seedPlusPlus(data, n, dim, k, new SplittableRandom(seed));
        int[] assignment = new int[n];
        float[] score = new float[n];
        float[] pointNorms = VectorMath.squaredNorms(data, n, dim);
        assign(data, n, dim, centroids, k, assignment, score);
        int iterations = 0;
        while (iterations < maxIterations) {
            update(data, n, dim, centroids, k, assignment, score, pointNorms);
            int[] previous = assignment.clone();
            assign(data, n, dim, centroids, k, assignment, score);
            iterations++;
            if (java.util.Arrays.equals(previous, assignment)) {
                break;
            }
        }
        double inertia = inertia(pointNorms, score);
        return new Result(centroids, k, dim, assignment, inertia, iterations);
    }

    private static double inertia(float[] pointNorms, float[] score) {
        double s = 0;
        for (int i = 0; i < score.length; i++) {
            s += Math.max(0, pointNorms[i] + score[i]);
        }
        return s;
    }

    /** Nearest centroid for every point, in parallel blocks. */
    static void assign(float[] data, int n, int dim, float[] centroids, int k, int[] assignment, float[] score) {
        float[] norms = VectorMath.squaredNorms(centroids, k, dim);
        int blocks = (n + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> VectorMath.nearest(data, b * BLOCK,
                Math.min(n, (b + 1) * BLOCK), dim, centroids, norms, k, assignment, score));
    }

    private static void update(float[] data, int n, int dim, float[] centroids, int k, int[] assignment,
                               float[] score, float[] pointNorms) {
        double[] sums = new double[k * dim];
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            int c = assignment[i];
            counts[c]++;
            int co = c * dim;
            int po = i * dim;
            for (int d = 0; d < dim; d++) {
                sums[co + d] += data[po + d];
            }
        }
        boolean[] taken = new boolean[n];
        for (int c = 0; c < k; c++) {
            int co = c * dim;
            if (counts[c] > 0) {
                for (int d = 0; d < dim; d++) {
                    centroids[co + d] = (float) (sums[co + d] / counts[c]);
                }
                continue;
            }
            // Empty cluster: restart it on the point worst served by its centroid.
            int worst = -1;
            float worstDistance = -1;
            for (int i = 0; i < n; i++) {
                float dist = pointNorms[i] + score[i];
                if (!taken[i] && dist > worstDistance) {
                    worstDistance = dist;
                    worst = i;
                }
            }
            taken[worst] = true;
            System.arraycopy(data, worst * dim, centroids, co, dim);
        }
    }

    /** k-means++: each next centroid is a point drawn with probability proportional to D(x)^2. */
    static float[] seedPlusPlus(float[] data, int n, int dim, int k, SplittableRandom random) {
        float[] centroids = new float[k * dim];
        int first = random.nextInt(n);
        System.arraycopy(data, first * dim, centroids, 0, dim);
        double[] minDistance = new double[n];
        updateMinDistance(data, n, dim, centroids, 0, minDistance, true);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double d : minDistance) {
                total += d;
            }
            int chosen;
            if (total <= 0) {
                chosen = random.nextInt(n); // every point coincides with a centroid already
            } else {
                double r = random.nextDouble() * total;
                chosen = n - 1;
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += minDistance[i];
                    if (acc > r) {
                        chosen = i;
                        break;
                    }
                }
            }
            System.arraycopy(data, chosen * dim, centroids, c * dim, dim);
            updateMinDistance(data, n, dim, centroids, c, minDistance, false);
        }
        return centroids;
    }

    private static void updateMinDistance(float[] data, int n, int dim, float[] centroids, int c,
                                          double[] minDistance, boolean initialise) {
        int blocks = (n + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            for (int i = b * BLOCK, end = Math.min(n, (b + 1) * BLOCK); i < end; i++) {
                double d = VectorMath.squaredDistance(data, i * dim, centroids, c * dim, dim);
                if (initialise || d < minDistance[i]) {
                    minDistance[i] = d;
                }
            }
        });
    }
}
