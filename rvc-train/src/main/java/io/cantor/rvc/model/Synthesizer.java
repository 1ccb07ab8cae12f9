package io.cantor.rvc.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.cantor.rvc.f0.F0;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Runs a generator over a whole utterance: 100 frames/s content and F0 in, waveform at the model's
 * rate out. Long inputs go through in windows with a margin on each side wider than the network's
 * receptive field, so the joins are seamless; the sine source is rendered once for the whole
 * utterance to keep its phase continuous. Windows run two at a time as a batch.
 */
public final class Synthesizer {
    static final int WINDOW_FRAMES = 1000;
    static final int MARGIN_FRAMES = 48;

    private final NsfGenerator generator;
    private final Table speakers;
    private final NDManager manager;
    private final Device device;

    public Synthesizer(NsfGenerator generator, Table speakers, NDManager manager) {
        this.generator = generator;
        this.speakers = speakers;
        this.manager = manager;
        this.device = manager.getDevice();
    }

    public ModelConfig config() {
        return generator.config();
    }

    /** Waveform of {@code frames * hop} samples; {@code content.length} and {@code f0.length} may differ (shorter wins). */
    public float[] synthesize(float[][] content, float[] f0, int speaker, long seed) {
        ModelConfig c = generator.config();
        int frames = Math.min(content.length, f0.length);
        int hop = c.hop();
        float[] out = new float[frames * hop];
        if (frames == 0) {
            return out;
        }
        int[] coarse = F0.coarse(f0);
        float[][] source = SineSource.render(f0, 0, frames, hop, c.sampleRate(), c.harmonics(), new Random(seed));
        // windows go through in pairs, as a batch of two: libtorch logs an NNPACK warning for every
        // batch-1 CPU convolution, and a pair costs no more than two single windows
        int count = Math.max(1, (frames + WINDOW_FRAMES - 1) / WINDOW_FRAMES);
        if (frames >= 2 && count % 2 == 1) {
            count++;
        }
        int size = (frames + count - 1) / count;
        List<int[]> windows = new ArrayList<>();
        for (int start = 0; start < frames; start += size) {
            windows.add(new int[]{start, Math.min(frames, start + size)});
        }
        for (int i = 0; i < windows.size(); i += 2) {
            List<int[]> batch = windows.subList(i, Math.min(windows.size(), i + 2));
            float[][] waves = windows(content, coarse, source, frames, batch, speaker);
            for (int b = 0; b < batch.size(); b++) {
                int start = batch.get(b)[0];
                int end = batch.get(b)[1];
                int from = Math.max(0, start - MARGIN_FRAMES);
                System.arraycopy(waves[b], (start - from) * hop, out, start * hop, (end - start) * hop);
            }
        }
        return out;
    }

    /** Runs windows [start, end) (with margins) as one batch, shorter ones padded at the end. */
    private float[][] windows(float[][] content, int[] coarse, float[][] source, int frames, List<int[]> batch, int speaker) {
        ModelConfig c = generator.config();
        int hop = c.hop();
        int dim = c.contentDim();
        int channels = source.length;
        int n = batch.size();
        int t = 0;
        for (int[] w : batch) {
            t = Math.max(t, Math.min(frames, w[1] + MARGIN_FRAMES) - Math.max(0, w[0] - MARGIN_FRAMES));
        }
        float[] contentFlat = new float[n * t * dim];
        int[] pitch = new int[n * t];
        Arrays.fill(pitch, 1);
        float[] sourceFlat = new float[n * channels * t * hop];
        int[] speakers = new int[n];
        for (int b = 0; b < n; b++) {
            int from = Math.max(0, batch.get(b)[0] - MARGIN_FRAMES);
            int to = Math.min(frames, batch.get(b)[1] + MARGIN_FRAMES);
            for (int i = 0; i < to - from; i++) {
                System.arraycopy(content[from + i], 0, contentFlat, (b * t + i) * dim, dim);
                pitch[b * t + i] = coarse[from + i];
            }
            for (int h = 0; h < channels; h++) {
                System.arraycopy(source[h], from * hop, sourceFlat, (b * channels + h) * t * hop, (to - from) * hop);
            }
            speakers[b] = speaker;
        }
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            NDArray speakerVectors = this.speakers.lookup(store, scope.create(speakers), false);
            NDArray wave = generator.generate(store,
                    scope.create(contentFlat, new Shape(n, t, dim)),
                    scope.create(pitch, new Shape(n, t)),
                    scope.create(sourceFlat, new Shape(n, channels, (long) t * hop)),
                    speakerVectors, false);
            float[] flat = wave.toType(DataType.FLOAT32, false).toFloatArray();
            float[][] result = new float[n][];
            for (int b = 0; b < n; b++) {
                result[b] = Arrays.copyOfRange(flat, b * t * hop, (b + 1) * t * hop);
            }
            return result;
        }
    }

    public Device device() {
        return device;
    }
}
