package io.cantor.rvc.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

import java.util.ArrayList;
import java.util.List;

/**
 * RVC's multi-period discriminator (periods 2, 3, 5, 7, 11) with LSGAN losses and feature matching,
 * the optional adversarial part of training. RVC's scale discriminator is left out. Widths follow
 * the model size: RVC's 32-128-512-1024-1024 at {@code rvc}, narrower below.
 */
public final class MultiPeriodDiscriminator extends FixedBlock {
    public static final int[] PERIODS = {2, 3, 5, 7, 11};
    /** HiFi-GAN/RVC weight of the feature-matching loss. */
    public static final float FEATURE_WEIGHT = 2f;

    private final List<PeriodDiscriminator> discriminators = new ArrayList<>();

    public MultiPeriodDiscriminator(String size) {
        int[] channels = switch (size) {
            case "rvc" -> new int[]{32, 128, 512, 1024, 1024};
            case "small" -> new int[]{16, 64, 128, 128};
            default -> new int[]{16, 32, 64, 64};
        };
        for (int p : PERIODS) {
            discriminators.add(addChildBlock("period_" + p, new PeriodDiscriminator(p, channels)));
        }
    }

    /** Feature maps per period for a batch of waveforms [B, N]. */
    public List<List<NDArray>> apply(ParameterStore store, NDArray wave, boolean training) {
        List<List<NDArray>> out = new ArrayList<>();
        for (PeriodDiscriminator d : discriminators) {
            out.add(d.apply(store, wave, training));
        }
        return out;
    }

    /** {@code sum_p mean((1 - D(real))^2) + mean(D(fake)^2)}; pass a detached fake. */
    public NDArray discriminatorLoss(List<List<NDArray>> real, List<List<NDArray>> fake) {
        NDArray total = null;
        for (int i = 0; i < real.size(); i++) {
            NDArray r = last(real.get(i)).sub(1).square().mean();
            NDArray f = last(fake.get(i)).square().mean();
            NDArray term = r.add(f);
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /** Generator side: {@code sum_p mean((1 - D(fake))^2)} plus 2 x feature-matching L1 against the (detached) real maps. */
    public NDArray generatorLoss(List<List<NDArray>> real, List<List<NDArray>> fake) {
        NDArray total = null;
        for (int i = 0; i < real.size(); i++) {
            NDArray term = last(fake.get(i)).sub(1).square().mean();
            for (int j = 0; j < real.get(i).size(); j++) {
                term = term.add(real.get(i).get(j).stopGradient().sub(fake.get(i).get(j)).abs().mean().mul(FEATURE_WEIGHT));
            }
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    private static NDArray last(List<NDArray> maps) {
        return maps.get(maps.size() - 1);
    }
}
