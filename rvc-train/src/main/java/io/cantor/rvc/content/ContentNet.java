package io.cantor.rvc.content;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import io.cantor.rvc.model.Conv;
import io.cantor.rvc.model.FixedBlock;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in content encoder's network: dilated residual 1-D convolutions over stacked log-mel
 * frames at 50 frames/s, about 0.4-0.8 s of context, ending in a linear projection to the
 * canonical (speaker-averaged) log-mel space it is trained to predict.
 */
public final class ContentNet extends FixedBlock {
    private static final float LRELU = 0.1f;

    /** Layer sizes, stored in {@code config.json} to rebuild the net. */
    public record Shape(int inputDim, int channels, int layers, int outputDim) {
        public static Shape forSize(String size) {
            return switch (size) {
                case "tiny" -> new Shape(2 * SpectralFeatures.BANDS, 128, 4, SpectralFeatures.BANDS);
                case "small" -> new Shape(2 * SpectralFeatures.BANDS, 256, 5, SpectralFeatures.BANDS);
                default -> new Shape(2 * SpectralFeatures.BANDS, 384, 6, SpectralFeatures.BANDS);
            };
        }
    }

    private final Shape shape;
    private final Conv input;
    private final List<Conv> layers = new ArrayList<>();
    private final Conv output;

    public ContentNet(Shape shape) {
        this.shape = shape;
        input = addChildBlock("input", Conv.same(shape.inputDim(), shape.channels(), 5, 1));
        int[] dilations = {1, 2, 4};
        for (int i = 0; i < shape.layers(); i++) {
            layers.add(addChildBlock("layer_" + i, Conv.same(shape.channels(), shape.channels(), 5, dilations[i % 3])));
        }
        output = addChildBlock("output", Conv.same(shape.channels(), shape.outputDim(), 1, 1));
    }

    public Shape shape() {
        return shape;
    }

    /** {@code [B, inputDim, T]} to {@code [B, outputDim, T]}. */
    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        NDArray h = Activation.leakyRelu(input.apply(store, x, training), LRELU);
        for (Conv layer : layers) {
            h = h.add(Activation.leakyRelu(layer.apply(store, h, training), LRELU));
        }
        return output.apply(store, h, training);
    }
}
