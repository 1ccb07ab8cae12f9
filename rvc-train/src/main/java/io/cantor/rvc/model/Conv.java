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
 */
public final class Conv extends AbstractBlock {
    private final int in;
    private final int out;
    private final int kernel;
    private final int dilation;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;

    public Conv(int in, int out, int kernel, int dilation, int stride, int padding, Initializer init) {
        super((byte) 1);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.dilation = dilation;
        this.stride = stride;
        this.padding = padding;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in, kernel)).optInitializer(init).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).optInitializer(new ConstantInitializer(0)).build());
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
        return Conv1d.conv1d(x, w, b, new Shape(stride), new Shape(padding), new Shape(dilation), 1).singletonOrThrow();
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
