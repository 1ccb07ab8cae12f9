package io.cantor.rvc.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KMeansTest {

    @Test
    void recoversWellSeparatedClusters() {
        ClusteredData c = new ClusteredData(10, 100, 16, 0.5, 1);
        KMeans.Result r = KMeans.fit(c.data, c.n, c.dim, 10, 50, 7);
        // Every true cluster maps onto exactly one found cluster.
        int[] foundFor = new int[10];
        java.util.Arrays.fill(foundFor, -1);
        for (int i = 0; i < c.n; i++) {
            int truth = c.label[i];
            if (foundFor[truth] < 0) {
                foundFor[truth] = r.assignment()[i];
            }
            assertEquals(foundFor[truth], r.assignment()[i], "point " + i);
        }
        assertEquals(10, java.util.Arrays.stream(foundFor).distinct().count());
        // Centroids sit at the blob centres (mean of 100 points with sd 0.5: error ~ 0.05 per axis).
        for (int t = 0; t < 10; t++) {
            double d2 = VectorMath.squaredDistance(c.centres, t * 16, r.centroids(), foundFor[t] * 16, 16);
            assertTrue(Math.sqrt(d2) < 0.5, "cluster " + t + " off by " + Math.sqrt(d2));
        }
        // Inertia is the within-cluster scatter: about n * dim * spread^2.
        assertEquals(1000 * 16 * 0.25, r.inertia(), 1000 * 16 * 0.25 * 0.1);
    }

    @Test
    void isDeterministicForASeed() {
        ClusteredData c = new ClusteredData(20, 50, 8, 2.0, 2);
        KMeans.Result a = KMeans.fit(c.data, c.n, c.dim, 15, 20, 99);
        KMeans.Result b = KMeans.fit(c.data, c.n, c.dim, 15, 20, 99);
        assertArrayEquals(a.centroids(), b.centroids());
        assertArrayEquals(a.assignment(), b.assignment());
    }

    @Test
    void handlesDuplicatePointsAndKEqualToN() {
        float[] data = new float[40]; // 20 identical 2-d points
        KMeans.Result r = KMeans.fit(data, 20, 2, 3, 10, 1);
        assertEquals(0, r.inertia(), 0);
        float[] distinct = {0, 0, 1, 1, 5, 5};
        KMeans.Result all = KMeans.fit(distinct, 3, 2, 3, 10, 1);
        assertEquals(0, all.inertia(), 0);
        assertEquals(3, java.util.Arrays.stream(all.assignment()).distinct().count());
    }
}
