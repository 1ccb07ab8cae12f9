package io.cantor.rvc;

import java.nio.file.Path;

/**
 * How this agent runs RVC.
 *
 * @param contentEncoderModel a TorchScript HuBERT/ContentVec file (see
 *                            {@link io.cantor.rvc.content.TorchScriptContentEncoder} for what it must
 *                            return), or null for the built-in encoders, which need no download
 */
public record RvcOptions(Path contentEncoderModel) {
    public static final RvcOptions BUILT_IN = new RvcOptions(null);
}
