package io.cantor.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a succeeded job produced.
 *
 * @param artifactKey   blob key of the model zip
 * @param artifactBytes its size
 * @param metrics       evaluation and training figures, e.g. {@code final_loss}, {@code mcd_db}
 */
public record JobResult(String artifactKey, long artifactBytes, String artifactSha256, Map<String, Double> metrics) {
    public JobResult {
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
    }
}
