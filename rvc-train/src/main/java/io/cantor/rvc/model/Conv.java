package io.cantor.rvc.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * A 1-D convolution over {@code [batch, channels, time]} whose weight shape is fixed at construction,
 * so a whole network initialises (or loads) without tracing input shapes. Odd kernels with
 * {@link #same} padding keep the length.
 *
 * <p>Output channels are stored padded to a multiple of {@link #CHANNEL_BLOCK} and the extra ones are
 * sliced off: libtorch 2.7.1's oneDNN AVX-512 convolution intermittently returns NaN input
 * gradients when the output channel count is not a multiple of its 16-channel block (seen with 8, 4
 * and 1 output channels, never with 16 or more in multiples of 16). The padding costs a little
 * compute on narrow layers only.
 */
public final class Conv extends AbstractBlock {
    private final int in;
    private final int out;
    private final int kernel;
    private final int dilation;
    private final int stride;
    private final int padding;
    private final int storedOut;
    private final Parameter weight;
    private final Parameter bias;

    /** oneDNN's AVX-512 channel block. */
    public static final int CHANNEL_BLOCK = 16;

    public Conv(int in, int out, int kernel, int dilation, int stride, int padding, Initializer init) {
        super((byte) 1);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.dilation = dilation;
        this.stride = stride;
        this.padding = padding;
        this.storedOut = (out + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK * CHANNEL_BLOCK;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(storedOut, in, kernel)).optInitializer(init).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(storedOut)).optInitializer(new ConstantInitializer(0)).build());
    }

    /** Length-preserving convolution (odd kernel), Xavier-initialised. */
    public static Conv same(int in, int out, int kernel, int dilation) {
        return same(in, out, kernel, dilation, new XavierInitializer());
    }

    /** HiFi-GAN's {@code init_weights}: N(0, 0.01) for the decoder's convolutions. */
    public static Conv sameSmall(int in, int out, int kernel, int dilation) {
        return same(in, out, kernel, dilation, new NormalInitializer(0.01f));
    }

    public static Conv same(int in, int out, int kernel, int dilation, Initializer init) {
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException("'same' padding needs an odd kernel, got " + kernel);
        }
        return new Conv(in, out, kernel, dilation, 1, dilation * (kernel - 1) / 2, init);
    }

    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = store.getValue(bias, x.getDevice(), training);
        NDArray y = Conv1d.conv1d(x, w, b, new Shape(stride), new Shape(padding), new Shape(dilation), 1).singletonOrThrow();
        return storedOut == out ? y : y.get(":, 0:" + out + ", :");
    }

    public int outChannels() {
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(store, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long t = inputShapes[0].get(2);
        long length = (t + 2L * padding - (long) dilation * (kernel - 1) - 1) / stride + 1;
        return new Shape[]{new Shape(inputShapes[0].get(0), out, length)};
    }

    @Override
    public String toString() {
        return "Conv(" + in + "->" + out + ", k=" + kernel + ", d=" + dilation + ", s=" + stride + ")";
    }

}
