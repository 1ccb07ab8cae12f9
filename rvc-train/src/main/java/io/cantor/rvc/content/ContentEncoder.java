package io.cantor.rvc.content;

import java.util.Arrays;

/**
 * The content-feature port: what was said, ideally not who said it. RVC v2 uses HuBERT's
 * 768-dimensional last-layer features at 50 frames/s (hop 320 at 16 kHz) and repeats each frame
 * twice to meet the 100 frames/s F0 track ({@code F.interpolate(scale_factor=2)}).
 */
public interface ContentEncoder extends AutoCloseable {

    /** HuBERT's hop at 16 kHz: 50 frames per second. */
    int HOP_16K = 320;

    /** {@code torchscript}, {@code learned} (trained in a base job) or {@code spectral} (no weights). */
    String kind();

    int dim();

    /** Features {@code [frames][dim]} at 50 frames/s of 16 kHz audio. */
    float[][] encode(float[] audio16k);

    /** {@link #encode} repeated twice per frame, trimmed or padded (last frame) to {@code frames} at 100 frames/s. */
    default float[][] encode100Hz(float[] audio16k, int frames) {
        return upsample(encode(audio16k), frames, dim());
    }

    static float[][] upsample(float[][] features50Hz, int frames, int dim) {
        float[][] out = new float[frames][];
        for (int t = 0; t < frames; t++) {
            int source = Math.min(t / 2, features50Hz.length - 1);
            out[t] = source >= 0 ? features50Hz[source] : new float[dim];
        }
        return out;
    }

    /** Frames at 50 frames/s that {@code samples} samples at 16 kHz make (at least one). */
    static int frames50Hz(int samples) {
        return Math.max(1, (samples + HOP_16K - 1) / HOP_16K);
    }

    @Override
    default void close() {
    }

    static float[][] copy(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = Arrays.copyOf(x[i], x[i].length);
        }
        return out;
    }
}
