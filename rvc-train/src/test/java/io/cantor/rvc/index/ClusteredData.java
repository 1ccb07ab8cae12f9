package io.cantor.rvc.index;

import java.util.Random;

/** Gaussian blobs around random centres: data whose cluster structure is known. */
final class ClusteredData {

    final float[] data;
    final float[] centres;
    final int[] label;
    final int n;
    final int dim;

    ClusteredData(int clusters, int perCluster, int dim, double spread, long seed) {
        Random random = new Random(seed);
        this.n = clusters * perCluster;
        this.dim = dim;
        centres = new float[clusters * dim];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) (random.nextGaussian() * 10);
        }
        data = new float[n * dim];
        label = new int[n];
        // Interleave clusters so that no ordering accident helps.
        for (int i = 0; i < n; i++) {
            int c = i % clusters;
            label[i] = c;
            for (int d = 0; d < dim; d++) {
                data[i * dim + d] = (float) (centres[c * dim + d] + random.nextGaussian() * spread);
            }
        }
    }

    float[] row(int i) {
        return java.util.Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
    }
}
