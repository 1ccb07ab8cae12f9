package io.cantor.rvc.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;

import java.util.ArrayList;
import java.util.List;

/**
 * RVC v2's NSF-HiFi-GAN decoder ({@code GeneratorNSF}) behind a convolutional stand-in for its
 * prior encoder: content features ({@code emb_phone}) plus a coarse-pitch embedding
 * ({@code emb_pitch}) are mixed by a few residual convolutions, the speaker vector is added after
 * {@code conv_pre} ({@code cond(g)}), then each stage upsamples (nearest repeat + Conv1d, since DJL's
 * transposed convolution has no forward on PyTorch), adds the sine source brought down to its rate
 * ({@code noise_convs}) and averages parallel residual blocks ({@code ResBlock1}). No weight norm (DJL
 * has none; the small N(0, 0.01) init of HiFi-GAN keeps training stable without it).
 *
 * <p>Not included from RVC's synthesizer: the VITS posterior encoder, flow and KL term. The decoder is
 * trained directly from the conditioning (the "no-flow" simplification), which is what makes
 * CPU-sized models train in minutes.
 */
public final class NsfGenerator extends FixedBlock {
    private static final float LRELU = 0.1f;

    private final ModelConfig config;
    private final Conv contentProjection;
    private final Table pitchEmbedding;
    private final List<Conv> conditionLayers = new ArrayList<>();
    private final Conv pre;
    private final Conv speakerProjection;
    private final Conv sourceMerge;
    private final List<Conv> upsamples = new ArrayList<>();
    private final List<Conv> sourceConvs = new ArrayList<>();
    /** [stage][resblock][dilation] pairs of convolutions. */
    private final List<List<List<Conv[]>>> resblocks = new ArrayList<>();
    private final Conv post;

    public NsfGenerator(ModelConfig config) {
        this.config = config;
        int hidden = config.hiddenChannels();
        contentProjection = addChildBlock("content_proj", Conv.same(config.contentDim(), hidden, 1, 1));
        pitchEmbedding = addChildBlock("pitch_emb", new Table(ModelConfig.PITCH_BINS, hidden));
        for (int i = 0; i < config.conditionLayers(); i++) {
            conditionLayers.add(addChildBlock("cond_" + i, Conv.same(hidden, hidden, 5, 1)));
        }
        pre = addChildBlock("conv_pre", Conv.same(hidden, config.initialChannels(), 7, 1));
        speakerProjection = addChildBlock("speaker_proj", Conv.same(config.speakerDim(), config.initialChannels(), 1, 1));
        sourceMerge = addChildBlock("source_merge", Conv.same(config.harmonics() + 1, 1, 1, 1));
        List<Integer> rates = config.upsampleRates();
        int channels = config.initialChannels();
        for (int i = 0; i < rates.size(); i++) {
            int out = config.stageChannels(i);
            upsamples.add(addChildBlock("up_" + i, Conv.sameSmall(channels, out, config.upsampleKernels().get(i), 1)));
            int strideF0 = 1;
            for (int j = i + 1; j < rates.size(); j++) {
                strideF0 *= rates.get(j);
            }
            Conv source = strideF0 > 1
                    ? new Conv(1, out, 2 * strideF0, 1, strideF0, strideF0 / 2, new ai.djl.training.initializer.XavierInitializer())
                    : Conv.same(1, out, 1, 1);
            sourceConvs.add(addChildBlock("source_" + i, source));
            List<List<Conv[]>> stage = new ArrayList<>();
            for (int k = 0; k < config.resblockKernels().size(); k++) {
                int kernel = config.resblockKernels().get(k);
                List<Conv[]> block = new ArrayList<>();
                for (int d = 0; d < config.resblockDilations().size(); d++) {
                    int dilation = config.resblockDilations().get(d);
                    String name = "res_" + i + "_" + k + "_" + d;
                    block.add(new Conv[]{
                            addChildBlock(name + "_a", Conv.sameSmall(out, out, kernel, dilation)),
                            addChildBlock(name + "_b", Conv.sameSmall(out, out, kernel, 1))});
                }
                stage.add(block);
            }
            resblocks.add(stage);
            channels = out;
        }
        post = addChildBlock("conv_post", Conv.same(channels, 1, 7, 1));
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * @param content [B, T, contentDim] at 100 frames/s
     * @param pitch   [B, T] coarse F0 (1..255)
     * @param source  [B, harmonics + 1, T * hop] from {@link SineSource}
     * @param speaker [B, speakerDim]
     * @return waveform [B, T * hop] in (-1, 1)
     */
    public NDArray generate(ParameterStore store, NDArray content, NDArray pitch, NDArray source, NDArray speaker,
                            boolean training) {
        NDArray x = contentProjection.apply(store, content.transpose(0, 2, 1), training);
        x = x.add(pitchEmbedding.lookup(store, pitch, training).transpose(0, 2, 1));
        x = Activation.leakyRelu(x, LRELU);
        for (Conv layer : conditionLayers) {
            x = x.add(Activation.leakyRelu(layer.apply(store, x, training), LRELU));
        }
        x = pre.apply(store, x, training).add(speakerProjection.apply(store, speaker.expandDims(2), training));
        NDArray harmonic = sourceMerge.apply(store, source, training).tanh();
        List<Integer> rates = config.upsampleRates();
        for (int i = 0; i < rates.size(); i++) {
            x = Activation.leakyRelu(x, LRELU).repeat(2, rates.get(i));
            x = upsamples.get(i).apply(store, x, training);
            x = x.add(sourceConvs.get(i).apply(store, harmonic, training));
            NDArray sum = null;
            for (List<Conv[]> block : resblocks.get(i)) {
                NDArray y = x;
                for (Conv[] pair : block) {
                    NDArray t = pair[0].apply(store, Activation.leakyRelu(y, LRELU), training);
                    t = pair[1].apply(store, Activation.leakyRelu(t, LRELU), training);
                    y = y.add(t);
                }
                sum = sum == null ? y : sum.add(y);
            }
            x = sum.div(resblocks.get(i).size());
        }
        x = post.apply(store, Activation.leakyRelu(x, 0.01f), training).tanh();
        return x.squeeze(1);
    }
}
