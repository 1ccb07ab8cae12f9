package io.cantor.rvc.content;

/**
 * The weight-free fallback: mean-normalised log-mel bands at 50 frames/s. It carries what was said
 * but also who said it (formants, tilt), so a model trained on it resynthesises its own speaker well
 * and converts other speakers only partly towards the target; fine-tune from a base model (whose
 * {@link LearnedContentEncoder} is trained to be speaker-independent) for real conversion.
 */
public final class SpectralContentEncoder implements ContentEncoder {
    public static final String KIND = "spectral";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int dim() {
        return SpectralFeatures.BANDS;
    }

    @Override
    public float[][] encode(float[] audio16k) {
        return SpectralFeatures.pooled(audio16k);
    }
}
