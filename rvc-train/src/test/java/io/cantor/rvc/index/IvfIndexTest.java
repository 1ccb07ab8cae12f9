package io.cantor.rvc.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IvfIndexTest {

    @Test
    void listCountFollowsRvcsRule() {
        assertEquals(1, IvfIndex.rvcListCount(1));
        assertEquals(1, IvfIndex.rvcListCount(77));
        assertEquals(2, IvfIndex.rvcListCount(78)); // 78 // 39
        assertEquals(16, IvfIndex.rvcListCount(624)); // 624 // 39; the sqrt term binds only above ~390 000
        assertEquals(25, IvfIndex.rvcListCount(1000));
        assertEquals(769, IvfIndex.rvcListCount(30000));
        assertEquals(16000, IvfIndex.rvcListCount(1_000_000));
    }

    /** Exact k nearest by brute force, ties broken by id. */
    private static int[] exact(ClusteredData c, float[] q, int k) {
        Integer[] order = new Integer[c.n];
        float[] d = new float[c.n];
        for (int i = 0; i < c.n; i++) {
            order[i] = i;
            d[i] = VectorMath.squaredDistance(q, 0, c.data, i * c.dim, c.dim);
        }
        java.util.Arrays.sort(order, (a, b) -> d[a] != d[b] ? Float.compare(d[a], d[b]) : Integer.compare(a, b));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = order[i];
        }
        return out;
    }

    @Test
    void recallAgainstExactSearchGrowsWithNprobe() {
        ClusteredData c = new ClusteredData(40, 100, 32, 3.0, 3);
        IvfIndex index = IvfIndex.build(c.data, c.n, c.dim, IvfIndex.rvcListCount(c.n), 1, 10, 5);
        assertEquals(c.n, index.size());
        assertTrue(index.listCount() > 90 && index.listCount() <= 102, "lists " + index.listCount());
        Random random = new Random(8);
        int queries = 100;
        int k = 10;
        double[] recall = new double[4];
        int[] nprobes = {1, 4, 16, index.listCount()};
        for (int q = 0; q < queries; q++) {
            float[] query = c.row(random.nextInt(c.n));
            for (int d = 0; d < c.dim; d++) {
                query[d] += (float) random.nextGaussian();
            }
            int[] truth = exact(c, query, k);
            for (int p = 0; p < nprobes.length; p++) {
                int[] got = index.search(query, k, nprobes[p]).ids();
                int hits = 0;
                for (int id : got) {
                    for (int t : truth) {
                        hits += id == t ? 1 : 0;
                    }
                }
                recall[p] += hits / (double) (k * queries);
            }
        }
        assertEquals(1.0, recall[3], 1e-9, "probing every list is exhaustive search");
        assertTrue(recall[2] >= 0.95, "recall@10 with nprobe 16: " + recall[2]);
        assertTrue(recall[1] >= 0.7, "recall@10 with nprobe 4: " + recall[1]);
        assertTrue(recall[0] <= recall[1] && recall[1] <= recall[2], java.util.Arrays.toString(recall));
    }

    @Test
    void exhaustiveSearchReturnsExactDistancesInOrder() {
        ClusteredData c = new ClusteredData(5, 40, 6, 1.0, 4);
        IvfIndex index = IvfIndex.build(c.data, c.n, c.dim, 5, 5, 10, 1);
        float[] q = c.row(17);
        q[0] += 0.1f;
        IvfIndex.Neighbors nb = index.search(q, 5);
        assertArrayEquals(exact(c, q, 5), nb.ids());
        assertEquals(0.01, nb.squaredDistances()[0], 1e-4);
        for (int i = 1; i < 5; i++) {
            assertTrue(nb.squaredDistances()[i] >= nb.squaredDistances()[i - 1]);
        }
    }

    @Test
    void blendingAnExactMatchReturnsThatVector() {
        ClusteredData c = new ClusteredData(8, 50, 24, 1.0, 6);
        IvfIndex index = IvfIndex.build(c.data, c.n, c.dim, IvfIndex.rvcListCount(c.n), 1, 10, 2);
        for (int i = 0; i < c.n; i += 37) {
            assertArrayEquals(c.row(i), index.retrieve(c.row(i), IvfIndex.RVC_TOP_K, 1), "vector " + i);
            assertArrayEquals(c.row(i), index.vector(i));
        }
    }

    @Test
    void blendUsesInverseSquaredScoreWeights() {
        float[] data = {0, 1, 3};
        IvfIndex index = IvfIndex.build(data, 3, 1, 1, 1, 10, 1);
        // Scores (squared distances) from 0.5: 0.25, 0.25, 6.25; weights (1/score)^2 = 16, 16, 0.0256.
        double w3 = 1 / (6.25 * 6.25);
        double expected = (16 * 0 + 16 * 1 + w3 * 3) / (32 + w3);
        assertEquals(expected, index.retrieve(new float[] {0.5f}, 8, 1)[0], 1e-6);
        float[][] mixed = index.blend(new float[][] {{0.5f}}, 0.75);
        assertEquals(0.75 * expected + 0.25 * 0.5, mixed[0][0], 1e-6);
        assertEquals(0.5f, index.blend(new float[][] {{0.5f}}, 0)[0][0]);
    }

    @Test
    void savesAndLoadsLosslesslyAndRejectsDamage(@TempDir Path dir) throws IOException {
        ClusteredData c = new ClusteredData(6, 60, 12, 1.0, 9);
        IvfIndex index = IvfIndex.build(c.data, c.n, c.dim, IvfIndex.rvcListCount(c.n), 2, 10, 3);
        Path file = dir.resolve("added.index");
        index.save(file);
        long expectedSize = 32 + (long) index.listCount() * (c.dim * 4 + 4) + (long) c.n * (c.dim * 4 + 4);
        assertEquals(expectedSize, Files.size(file));
        IvfIndex back = IvfIndex.load(file);
        assertEquals(index.size(), back.size());
        assertEquals(index.listCount(), back.listCount());
        assertEquals(2, back.defaultNprobe());
        for (int i = 0; i < c.n; i += 13) {
            assertArrayEquals(index.search(c.row(i), 8).ids(), back.search(c.row(i), 8).ids());
            assertArrayEquals(c.row(i), back.vector(i));
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Path damaged = dir.resolve("damaged.index");
        Files.write(damaged, bytes);
        assertThrows(IOException.class, () -> IvfIndex.load(damaged));
        Path truncated = dir.resolve("truncated.index");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(file), 100));
        assertThrows(IOException.class, () -> IvfIndex.load(truncated));
    }
}
