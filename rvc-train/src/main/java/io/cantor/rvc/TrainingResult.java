package io.cantor.rvc;

import java.nio.file.Path;
import java.util.Map;

/** The model zip (weights, {@code config.json}, {@code metrics.json}, loss curve) and the figures in its metrics.json. */
public record TrainingResult(Path artifact, Map<String, Double> metrics) {
    public TrainingResult {
        metrics = Map.copyOf(metrics);
    }
}
