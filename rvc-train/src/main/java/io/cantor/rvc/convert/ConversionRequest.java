package io.cantor.rvc.convert;

import java.nio.file.Path;

/**
 * One conversion.
 *
 * @param modelZip           an artifact zip written by {@link io.cantor.rvc.RvcTrainer}
 * @param input              WAV or FLAC to convert
 * @param transposeSemitones F0 shift (RVC's {@code f0_up_key}), e.g. +12 for male to female
 * @param indexRate          share of retrieved training features blended in, 0..1 (RVC default 0.75)
 * @param device             {@code cpu} or {@code gpu:N}
 * @param workDir            scratch space; the output WAV is written here
 */
public record ConversionRequest(Path modelZip, Path input, double transposeSemitones, double indexRate, String device,
                                Path workDir) {
    public static final double DEFAULT_INDEX_RATE = 0.75;

    public ConversionRequest {
        if (!(indexRate >= 0 && indexRate <= 1)) {
            throw new IllegalArgumentException("indexRate must be in [0, 1]: " + indexRate);
        }
        if (!Double.isFinite(transposeSemitones) || Math.abs(transposeSemitones) > 48) {
            throw new IllegalArgumentException("transposeSemitones must be within +-48: " + transposeSemitones);
        }
    }
}
