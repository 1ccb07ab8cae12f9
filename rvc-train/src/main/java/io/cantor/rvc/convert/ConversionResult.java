package io.cantor.rvc.convert;

import java.nio.file.Path;
import java.util.Map;

/** The converted 16-bit WAV at the model's sample rate and figures about the run (seconds, frames, voiced share). */
public record ConversionResult(Path wav, Map<String, Double> stats) {
    public ConversionResult {
        stats = Map.copyOf(stats);
    }
}
