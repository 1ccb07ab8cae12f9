package io.cantor.rvc.content;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built-in content encoder, trained once on many voices in a {@code task=base} job
 * ({@link ContentEncoderTrainer}) to map any speaker's frames to the same canonical frames, and
 * frozen in every voice model fine-tuned from that base. Runs on the CPU: it is small and cheap
 * next to the generator.
 */
public final class LearnedContentEncoder implements ContentEncoder {
    public static final String KIND = "learned";

    private final NDManager manager;
    private final ContentNet net;

    public LearnedContentEncoder(ContentNet.Shape shape) {
        manager = NDManager.newBaseManager(Device.cpu());
        net = new ContentNet(shape);
        net.initialize(manager);
    }

    public static LearnedContentEncoder load(ContentNet.Shape shape, Path weights) throws IOException {
        LearnedContentEncoder encoder = new LearnedContentEncoder(shape);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(weights)))) {
            encoder.net.loadParameters(encoder.manager, in);
        } catch (MalformedModelException e) {
            encoder.close();
            throw new IOException("content encoder weights do not fit " + shape + ": " + e.getMessage(), e);
        }
        return encoder;
    }

    public void save(Path weights) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(weights)))) {
            net.saveParameters(out);
        }
    }

    public ContentNet net() {
        return net;
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int dim() {
        return net.shape().outputDim();
    }

    @Override
    public float[][] encode(float[] audio16k) {
        return apply(SpectralFeatures.stacked(audio16k));
    }

    /** Context either side of a half, wider than the net's receptive field (at most 30 frames). */
    static final int MARGIN_FRAMES = 32;

    /**
     * Runs the net on stacked input frames {@code [T][inputDim]}. The two halves go through as a
     * batch of two (with margins, so the result is the same as one pass): libtorch logs an NNPACK
     * warning for every batch-1 CPU convolution.
     */
    public float[][] apply(float[][] stacked) {
        int frames = stacked.length;
        int in = net.shape().inputDim();
        int out = net.shape().outputDim();
        int half = (frames + 1) / 2;
        // two equal windows: [0, length) keeps [0, half), [frames - length, frames) keeps [half, frames)
        int length = Math.min(frames, half + MARGIN_FRAMES);
        int[] from = {0, frames - length};
        float[] flat = new float[2 * in * length];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < length; t++) {
                for (int c = 0; c < in; c++) {
                    flat[(b * in + c) * length + t] = stacked[from[b] + t][c];
                }
            }
        }
        float[][] result = new float[frames][out];
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(flat, new Shape(2, in, length));
            float[] y = net.apply(new ParameterStore(scope, false), x, false).toFloatArray();
            for (int t = 0; t < frames; t++) {
                int b = t < half ? 0 : 1;
                for (int c = 0; c < out; c++) {
                    result[t][c] = y[(b * out + c) * length + (t - from[b])];
                }
            }
        }
        return result;
    }

    @Override
    public void close() {
        manager.close();
    }
}
