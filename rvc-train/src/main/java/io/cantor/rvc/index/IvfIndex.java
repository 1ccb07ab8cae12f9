package io.cantor.rvc.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.zip.CRC32;

/**
 * RVC's retrieval index: an inverted-file index with flat (uncompressed) lists over feature vectors,
 * the equivalent of faiss {@code index_factory(dim, "IVF<n_ivf>,Flat")} as built by RVC's
 * {@code train_index}: {@code n_ivf = min(int(16 * sqrt(N)), N // 39)} lists (at least 1), a coarse
 * quantiser trained by k-means on at most 256 vectors per list, squared-L2 search that scans the
 * {@code nprobe} nearest lists (RVC uses 1), and RVC's conversion-time blend of the top k = 8
 * neighbours with weights {@code (1 / score)^2}, score being faiss's squared distance.
 *
 * <p>Not included: RVC's reduction of more than 200 000 vectors to 10 000 MiniBatchKMeans centres
 * before indexing; do that (or subsample) before {@link #build} for very large sets.
 * Immutable after construction and safe for concurrent searches.
 */
public final class IvfIndex {

    /** RVC searches with k = 8 at conversion time. */
    public static final int RVC_TOP_K = 8;
    /** RVC sets {@code index_ivf.nprobe = 1}. */
    public static final int RVC_NPROBE = 1;
    /** faiss trains the coarse quantiser on at most this many vectors per list. */
    public static final int MAX_TRAINING_POINTS_PER_LIST = 256;
    /** faiss's IVF coarse-quantiser training runs 10 k-means iterations. */
    public static final int DEFAULT_TRAINING_ITERATIONS = 10;

    private static final int MAGIC = 0x49565243; // "CRVI" little-endian
    private static final int VERSION = 1;

    /** Search result: ids (insertion order of the indexed vectors) and squared L2 distances, nearest first. */
    public record Neighbors(int[] ids, float[] squaredDistances) {
        public int size() {
            return ids.length;
        }
    }

    private final int dim;
    private final int count;
    private final int defaultNprobe;
    private final float[] centroids;
    private final int[][] listIds;
    private final float[][] listVectors;
    /** For {@link #vector(int)}: which list and slot hold each id. */
    private final int[] listOf;
    private final int[] slotOf;

    private IvfIndex(int dim, int count, int defaultNprobe, float[] centroids, int[][] listIds, float[][] listVectors) {
        this.dim = dim;
        this.count = count;
        this.defaultNprobe = defaultNprobe;
        this.centroids = centroids;
        this.listIds = listIds;
        this.listVectors = listVectors;
        this.listOf = new int[count];
        this.slotOf = new int[count];
        for (int l = 0; l < listIds.length; l++) {
            for (int s = 0; s < listIds[l].length; s++) {
                listOf[listIds[l][s]] = l;
                slotOf[listIds[l][s]] = s;
            }
        }
    }

    /** RVC's list count: {@code min(int(16 * sqrt(n)), n // 39)}, at least 1. */
    public static int rvcListCount(int n) {
        return Math.max(1, Math.min((int) (16 * Math.sqrt(n)), n / 39));
    }

    /** Builds with RVC's settings: RVC's list count, nprobe 1, faiss's training sample and iterations. */
    public static IvfIndex build(float[][] vectors, long seed) {
        if (vectors.length == 0) {
            throw new IllegalArgumentException("cannot index zero vectors");
        }
        int dim = vectors[0].length;
        float[] flat = new float[vectors.length * dim];
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i].length != dim) {
                throw new IllegalArgumentException("vector " + i + " has dimension " + vectors[i].length);
            }
            System.arraycopy(vectors[i], 0, flat, i * dim, dim);
        }
        return build(flat, vectors.length, dim, rvcListCount(vectors.length), RVC_NPROBE,
                DEFAULT_TRAINING_ITERATIONS, seed);
    }

    /**
     * @param data  row-major {@code float[n * dim]}; vector i gets id i
     * @param lists number of inverted lists (k-means centroids)
     */
    public static IvfIndex build(float[] data, int n, int dim, int lists, int defaultNprobe, int trainingIterations,
                                 long seed) {
        if (n < 1 || dim < 1 || lists < 1 || lists > n || defaultNprobe < 1) {
            throw new IllegalArgumentException("need n >= lists >= 1, dim >= 1, nprobe >= 1");
        }
        // Train on a random sample of at most 256 vectors per list, like faiss.
        int trainCount = (int) Math.min(n, (long) MAX_TRAINING_POINTS_PER_LIST * lists);
        float[] training = data;
        if (trainCount < n) {
            int[] order = IntStream.range(0, n).toArray();
            SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
            for (int i = 0; i < trainCount; i++) {
                int j = i + random.nextInt(n - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            training = new float[trainCount * dim];
            for (int i = 0; i < trainCount; i++) {
                System.arraycopy(data, order[i] * dim, training, i * dim, dim);
            }
        }
        float[] centroids = KMeans.fit(training, trainCount, dim, lists, trainingIterations, seed).centroids();
        int[] assignment = new int[n];
        KMeans.assign(data, n, dim, centroids, lists, assignment, new float[n]);
        int[] sizes = new int[lists];
        for (int a : assignment) {
            sizes[a]++;
        }
        // A centroid trained on a sample may win no vector at all; dropping its list guarantees that
        // every probe returns candidates (faiss would return -1 ids, which RVC does not handle).
        int[] compact = new int[lists];
        int kept = 0;
        for (int l = 0; l < lists; l++) {
            compact[l] = sizes[l] > 0 ? kept++ : -1;
        }
        float[] keptCentroids = new float[kept * dim];
        int[][] ids = new int[kept][];
        float[][] vectors = new float[kept][];
        for (int l = 0; l < lists; l++) {
            int c = compact[l];
            if (c >= 0) {
                System.arraycopy(centroids, l * dim, keptCentroids, c * dim, dim);
                ids[c] = new int[sizes[l]];
                vectors[c] = new float[sizes[l] * dim];
            }
        }
        int[] fill = new int[kept];
        for (int i = 0; i < n; i++) {
            int c = compact[assignment[i]];
            int s = fill[c]++;
            ids[c][s] = i;
            System.arraycopy(data, i * dim, vectors[c], s * dim, dim);
        }
        return new IvfIndex(dim, n, defaultNprobe, keptCentroids, ids, vectors);
    }

    public int dim() {
        return dim;
    }

    public int size() {
        return count;
    }

    /** Non-empty inverted lists (at most the number requested at build time). */
    public int listCount() {
        return listIds.length;
    }

    public int defaultNprobe() {
        return defaultNprobe;
    }

    /** A copy of indexed vector {@code id}. */
    public float[] vector(int id) {
        float[] v = new float[dim];
        System.arraycopy(listVectors[listOf[id]], slotOf[id] * dim, v, 0, dim);
        return v;
    }

    public Neighbors search(float[] query, int k) {
        return search(query, k, defaultNprobe);
    }

    /** The {@code k} nearest indexed vectors by squared L2 among the {@code nprobe} nearest lists. */
    public Neighbors search(float[] query, int k, int nprobe) {
        if (query.length != dim) {
            throw new IllegalArgumentException("query has dimension " + query.length + ", index " + dim);
        }
        int lists = listIds.length;
        int probes = Math.max(1, Math.min(nprobe, lists));
        // The nprobe nearest centroids, by insertion into a small sorted array.
        int[] probeList = new int[probes];
        float[] probeDistance = new float[probes];
        java.util.Arrays.fill(probeDistance, Float.POSITIVE_INFINITY);
        for (int l = 0; l < lists; l++) {
            float d = VectorMath.squaredDistance(query, 0, centroids, l * dim, dim);
            insert(probeList, probeDistance, probes, l, d);
        }
        int[] bestIds = new int[k];
        float[] bestDistances = new float[k];
        java.util.Arrays.fill(bestDistances, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(bestIds, Integer.MAX_VALUE);
        int found = 0;
        for (int p = 0; p < probes; p++) {
            int l = probeList[p];
            int[] ids = listIds[l];
            float[] vectors = listVectors[l];
            for (int s = 0; s < ids.length; s++) {
                float d = VectorMath.squaredDistance(query, 0, vectors, s * dim, dim);
                if (d < bestDistances[k - 1] || d == bestDistances[k - 1] && ids[s] < bestIds[k - 1]) {
                    insert(bestIds, bestDistances, k, ids[s], d);
                }
                found++;
            }
        }
        int n = Math.min(k, found);
        return new Neighbors(java.util.Arrays.copyOf(bestIds, n), java.util.Arrays.copyOf(bestDistances, n));
    }

    /** Inserts (id, distance) into arrays sorted by distance then id, dropping the last entry. */
    private static void insert(int[] ids, float[] distances, int size, int id, float d) {
        int i = size - 1;
        if (d > distances[i] || d == distances[i] && id > ids[i]) {
            return;
        }
        while (i > 0 && (distances[i - 1] > d || distances[i - 1] == d && ids[i - 1] > id)) {
            distances[i] = distances[i - 1];
            ids[i] = ids[i - 1];
            i--;
        }
        distances[i] = d;
        ids[i] = id;
    }

    /**
     * RVC's retrieval for one frame: the weighted mean of the top-k neighbours with weights
     * {@code (1 / squaredDistance)^2}, normalised. Exact matches (distance 0), where RVC would divide
     * by zero, get all the weight, shared equally.
     */
    public float[] retrieve(float[] query, int k, int nprobe) {
        Neighbors nb = search(query, k, nprobe);
        double[] weights = new double[nb.size()];
        int exact = 0;
        for (int i = 0; i < nb.size(); i++) {
            if (nb.squaredDistances()[i] <= 0) {
                exact++;
            }
        }
        double total = 0;
        for (int i = 0; i < nb.size(); i++) {
            double s = nb.squaredDistances()[i];
            weights[i] = exact > 0 ? (s <= 0 ? 1 : 0) : 1 / (s * s);
            total += weights[i];
        }
        double[] acc = new double[dim];
        for (int i = 0; i < nb.size(); i++) {
            double w = weights[i] / total;
            if (w == 0) {
                continue;
            }
            int id = nb.ids()[i];
            float[] v = listVectors[listOf[id]];
            int off = slotOf[id] * dim;
            for (int d = 0; d < dim; d++) {
                acc[d] += w * v[off + d];
            }
        }
        float[] out = new float[dim];
        for (int d = 0; d < dim; d++) {
            out[d] = (float) acc[d];
        }
        return out;
    }

    /**
     * RVC's feature substitution: {@code retrieved * indexRate + (1 - indexRate) * feature} for each
     * frame (in parallel), with k = 8 and this index's default nprobe.
     */
    public float[][] blend(float[][] features, double indexRate) {
        if (indexRate < 0 || indexRate > 1) {
            throw new IllegalArgumentException("indexRate must be in [0, 1]");
        }
        float[][] out = new float[features.length][];
        IntStream.range(0, features.length).parallel().forEach(t -> {
            float[] f = features[t];
            float[] r = retrieve(f, RVC_TOP_K, defaultNprobe);
            float[] y = new float[dim];
            for (int d = 0; d < dim; d++) {
                y[d] = (float) (r[d] * indexRate + (1 - indexRate) * f[d]);
            }
            out[t] = y;
        });
        return out;
    }

    /**
     * Writes a compact little-endian file: header (magic, version, dim, lists, count, nprobe),
     * centroids, then per list its size, ids and vectors, and a CRC-32 of everything before it.
     */
    public void save(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Writer w = new Writer(ch);
            w.putInt(MAGIC);
            w.putInt(VERSION);
            w.putInt(dim);
            w.putInt(listIds.length);
            w.putInt(count);
            w.putInt(defaultNprobe);
            w.putFloats(centroids);
            for (int l = 0; l < listIds.length; l++) {
                w.putInt(listIds[l].length);
                for (int id : listIds[l]) {
                    w.putInt(id);
                }
                w.putFloats(listVectors[l]);
            }
            w.finish();
        }
    }

    public static IvfIndex load(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 28 || size > Integer.MAX_VALUE) {
                throw new IOException("not an index file (size " + size + ")");
            }
            ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            CRC32 crc = new CRC32();
            crc.update(b.duplicate().limit((int) size - 8));
            if (b.getLong((int) size - 8) != crc.getValue()) {
                throw new IOException("index file checksum mismatch (truncated or corrupted)");
            }
            if (b.getInt() != MAGIC) {
                throw new IOException("not an index file (bad magic)");
            }
            int version = b.getInt();
            if (version != VERSION) {
                throw new IOException("unsupported index file version " + version);
            }
            int dim = b.getInt();
            int lists = b.getInt();
            int count = b.getInt();
            int nprobe = b.getInt();
            if (dim < 1 || lists < 1 || count < lists || nprobe < 1
                    || (long) lists * dim * 4 + (long) count * (dim * 4L + 4) + lists * 4L + 32 != size) {
                throw new IOException("index file header is inconsistent with its size");
            }
            float[] centroids = new float[lists * dim];
            b.asFloatBuffer().get(centroids);
            b.position(b.position() + centroids.length * 4);
            int[][] ids = new int[lists][];
            float[][] vectors = new float[lists][];
            boolean[] seen = new boolean[count];
            for (int l = 0; l < lists; l++) {
                int n = b.getInt();
                if (n < 0 || n > count) {
                    throw new IOException("index list " + l + " has impossible size " + n);
                }
                ids[l] = new int[n];
                b.asIntBuffer().get(ids[l]);
                b.position(b.position() + n * 4);
                for (int id : ids[l]) {
                    if (id < 0 || id >= count || seen[id]) {
                        throw new IOException("index file has a bad or repeated id " + id);
                    }
                    seen[id] = true;
                }
                vectors[l] = new float[n * dim];
                b.asFloatBuffer().get(vectors[l]);
                b.position(b.position() + n * dim * 4);
            }
            return new IvfIndex(dim, count, nprobe, centroids, ids, vectors);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IOException("index file is truncated", e);
        }
    }

    /** Buffered little-endian writer that also keeps the running CRC-32. */
    private static final class Writer {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32 crc = new CRC32();

        Writer(FileChannel ch) {
            this.ch = ch;
        }

        void putInt(int v) throws IOException {
            room(4);
            buf.putInt(v);
        }

        void putFloats(float[] values) throws IOException {
            for (float v : values) {
                room(4);
                buf.putFloat(v);
            }
        }

        private void room(int bytes) throws IOException {
            if (buf.remaining() < bytes) {
                flush();
            }
        }

        private void flush() throws IOException {
            buf.flip();
            crc.update(buf.duplicate());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }

        void finish() throws IOException {
            flush();
            buf.putLong(crc.getValue());
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }
}
