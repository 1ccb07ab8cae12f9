package io.cantor.rvc.index;

/** Inner loops shared by k-means and the index; several accumulators keep the FPU pipelines busy. */
final class VectorMath {

    private VectorMath() {
    }

    static float squaredDistance(float[] a, int aOff, float[] b, int bOff, int dim) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int d = 0;
        for (; d + 3 < dim; d += 4) {
            float x0 = a[aOff + d] - b[bOff + d];
            float x1 = a[aOff + d + 1] - b[bOff + d + 1];
            float x2 = a[aOff + d + 2] - b[bOff + d + 2];
            float x3 = a[aOff + d + 3] - b[bOff + d + 3];
            s0 += x0 * x0;
            s1 += x1 * x1;
            s2 += x2 * x2;
            s3 += x3 * x3;
        }
        for (; d < dim; d++) {
            float x = a[aOff + d] - b[bOff + d];
            s0 += x * x;
        }
        return (s0 + s1) + (s2 + s3);
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int d = 0;
        for (; d + 3 < dim; d += 4) {
            s0 += a[aOff + d] * b[bOff + d];
            s1 += a[aOff + d + 1] * b[bOff + d + 1];
            s2 += a[aOff + d + 2] * b[bOff + d + 2];
            s3 += a[aOff + d + 3] * b[bOff + d + 3];
        }
        for (; d < dim; d++) {
            s0 += a[aOff + d] * b[bOff + d];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static float[] squaredNorms(float[] rows, int count, int dim) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = dot(rows, i * dim, rows, i * dim, dim);
        }
        return out;
    }

    /**
     * For each point, the nearest centroid by {@code |c|^2 - 2 x.c} (|x|^2 is the same for all
     * centroids). Centroids are walked once per group of four points so each centroid row is loaded
     * once for four dot products.
     */
    static void nearest(float[] points, int from, int to, int dim, float[] centroids, float[] centroidNorms,
                        int k, int[] bestIndex, float[] bestScore) {
        int p = from;
        for (; p + 3 < to; p += 4) {
            int o0 = p * dim;
            int o1 = o0 + dim;
            int o2 = o1 + dim;
            int o3 = o2 + dim;
            float b0 = Float.POSITIVE_INFINITY;
            float b1 = b0;
            float b2 = b0;
            float b3 = b0;
            int i0 = 0;
            int i1 = 0;
            int i2 = 0;
            int i3 = 0;
            for (int c = 0; c < k; c++) {
                int co = c * dim;
                float d0 = 0;
                float d1 = 0;
                float d2 = 0;
                float d3 = 0;
                for (int d = 0; d < dim; d++) {
                    float cv = centroids[co + d];
                    d0 += cv * points[o0 + d];
                    d1 += cv * points[o1 + d];
                    d2 += cv * points[o2 + d];
                    d3 += cv * points[o3 + d];
                }
                float n = centroidNorms[c];
                float s0 = n - 2 * d0;
                float s1 = n - 2 * d1;
                float s2 = n - 2 * d2;
                float s3 = n - 2 * d3;
                if (s0 < b0) {
                    b0 = s0;
                    i0 = c;
                }
                if (s1 < b1) {
                    b1 = s1;
                    i1 = c;
                }
                if (s2 < b2) {
                    b2 = s2;
                    i2 = c;
                }
                if (s3 < b3) {
                    b3 = s3;
                    i3 = c;
                }
            }
            bestIndex[p] = i0;
            bestIndex[p + 1] = i1;
            bestIndex[p + 2] = i2;
            bestIndex[p + 3] = i3;
            bestScore[p] = b0;
            bestScore[p + 1] = b1;
            bestScore[p + 2] = b2;
            bestScore[p + 3] = b3;
        }
        for (; p < to; p++) {
            float best = Float.POSITIVE_INFINITY;
            int bi = 0;
            for (int c = 0; c < k; c++) {
                float s = centroidNorms[c] - 2 * dot(centroids, c * dim, points, p * dim, dim);
                if (s < best) {
                    best = s;
                    bi = c;
                }
            }
            bestIndex[p] = bi;
            bestScore[p] = best;
        }
    }
}
