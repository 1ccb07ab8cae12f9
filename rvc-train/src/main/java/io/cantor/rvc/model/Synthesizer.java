package io.cantor.rvc.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.cantor.rvc.f0.F0;

import java.util.Random;

/**
 * Runs a generator over a whole utterance: 100 frames/s content and F0 in, waveform at the model's
 * rate out. Long inputs go through in windows with a margin on each side wider than the network's
 * receptive field, so the joins are seamless; the sine source is rendered once for the whole
 * utterance to keep its phase continuous.
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
        for (int start = 0; start < frames; start += WINDOW_FRAMES) {
            int end = Math.min(frames, start + WINDOW_FRAMES);
            int from = Math.max(0, start - MARGIN_FRAMES);
            int to = Math.min(frames, end + MARGIN_FRAMES);
            float[] wave = window(content, coarse, source, from, to, speaker);
            System.arraycopy(wave, (start - from) * hop, out, start * hop, (end - start) * hop);
        }
        return out;
    }

    private float[] window(float[][] content, int[] coarse, float[][] source, int from, int to, int speaker) {
        ModelConfig c = generator.config();
        int t = to - from;
        int hop = c.hop();
        int dim = c.contentDim();
        float[] contentFlat = new float[t * dim];
        int[] pitch = new int[t];
        for (int i = 0; i < t; i++) {
            System.arraycopy(content[from + i], 0, contentFlat, i * dim, dim);
            pitch[i] = coarse[from + i];
        }
        int channels = source.length;
        float[] sourceFlat = new float[channels * t * hop];
        for (int h = 0; h < channels; h++) {
            System.arraycopy(source[h], from * hop, sourceFlat, h * t * hop, t * hop);
        }
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            NDArray speakerVector = speakers.lookup(store, scope.create(new int[]{speaker}), false);
            NDArray wave = generator.generate(store,
                    scope.create(contentFlat, new Shape(1, t, dim)),
                    scope.create(pitch, new Shape(1, t)),
                    scope.create(sourceFlat, new Shape(1, channels, (long) t * hop)),
                    speakerVector, false);
            return wave.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    public Device device() {
        return device;
    }
}
