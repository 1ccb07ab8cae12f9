package io.cantor.rvc.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.XavierInitializer;

import java.util.ArrayList;
import java.util.List;

/**
 * HiFi-GAN's period discriminator ({@code DiscriminatorP} in RVC): the waveform folded into
 * {@code [B, 1, N/p, p]} and judged by (5 x 1)-kernel, stride-3 2-D convolutions, so each column sees
 * every p-th sample. Output channels are padded to 16 like {@link Conv}, for the same oneDNN reason.
 */
public final class PeriodDiscriminator extends FixedBlock {
    private static final float LRELU = 0.1f;

    private final int period;
    private final List<Parameter[]> layers = new ArrayList<>();
    private final List<int[]> shapes = new ArrayList<>(); // out, stored out, stride, kernel

    public PeriodDiscriminator(int period, int[] channels) {
        this.period = period;
        int in = 1;
        for (int i = 0; i <= channels.length; i++) {
            boolean last = i == channels.length;
            int out = last ? 1 : channels[i];
            int kernel = last ? 3 : 5;
            int stride = last || i == channels.length - 1 ? 1 : 3;
            int stored = (out + Conv.CHANNEL_BLOCK - 1) / Conv.CHANNEL_BLOCK * Conv.CHANNEL_BLOCK;
            Parameter w = addParameter(Parameter.builder().setName("w" + i).setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(stored, in, kernel, 1)).optInitializer(new XavierInitializer()).build());
            Parameter b = addParameter(Parameter.builder().setName("b" + i).setType(Parameter.Type.BIAS)
                    .optShape(new Shape(stored)).optInitializer(new ConstantInitializer(0)).build());
            layers.add(new Parameter[]{w, b});
            shapes.add(new int[]{out, stored, stride, kernel});
            in = out;
        }
    }

    /** Feature maps of every layer; the last is the real/fake score map. {@code wave}: [B, N]. */
    public List<NDArray> apply(ParameterStore store, NDArray wave, boolean training) {
        long b = wave.getShape().get(0);
        long n = wave.getShape().get(1);
        long padded = (n + period - 1) / period * period;
        NDArray x = padded == n ? wave : wave.concat(wave.getManager().zeros(new Shape(b, padded - n), wave.getDataType(), wave.getDevice()), 1);
        x = x.reshape(b, 1, padded / period, period);
        List<NDArray> features = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            int[] s = shapes.get(i);
            NDArray w = store.getValue(layers.get(i)[0], x.getDevice(), training);
            NDArray bias = store.getValue(layers.get(i)[1], x.getDevice(), training);
            x = Conv2d.conv2d(x, w, bias, new Shape(s[2], 1), new Shape(s[3] / 2, 0), new Shape(1, 1), 1).singletonOrThrow();
            if (s[1] != s[0]) {
                x = x.get(":, 0:" + s[0] + ", :, :");
            }
            if (i < layers.size() - 1) {
                x = Activation.leakyRelu(x, LRELU);
            }
            features.add(x);
        }
        return features;
    }
}
