package io.cantor.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a job needs from an agent. {@code gpus == 0} means the job runs anywhere (CPU or GPU);
 * {@code labels} must all be present, with equal values, among the agent's labels (for example
 * {@code gpu.model=H100}).
 */
public record ResourceRequest(int gpus, long minGpuMemoryMb, Map<String, String> labels) {

    public static final ResourceRequest ANY = new ResourceRequest(0, 0, Map.of());
    public static final int MAX_GPUS = 16;

    public ResourceRequest {
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    @JsonCreator
    static ResourceRequest fromJson(@JsonProperty("gpus") Integer gpus,
                                    @JsonProperty("minGpuMemoryMb") Long minGpuMemoryMb,
                                    @JsonProperty("labels") Map<String, String> labels) {
        return new ResourceRequest(gpus == null ? 0 : gpus, minGpuMemoryMb == null ? 0 : minGpuMemoryMb, labels);
    }

    public List<FieldError> validate(String prefix) {
        List<FieldError> errors = new ArrayList<>();
        if (gpus < 0 || gpus > MAX_GPUS) {
            errors.add(new FieldError(prefix + ".gpus", "must be between 0 and " + MAX_GPUS));
        }
        if (minGpuMemoryMb < 0 || minGpuMemoryMb > 4_000_000) {
            errors.add(new FieldError(prefix + ".minGpuMemoryMb", "must be between 0 and 4000000"));
        }
        if (minGpuMemoryMb > 0 && gpus == 0) {
            errors.add(new FieldError(prefix + ".minGpuMemoryMb", "needs gpus >= 1"));
        }
        if (labels.size() > 16) {
            errors.add(new FieldError(prefix + ".labels", "at most 16 labels"));
        }
        labels.forEach((k, v) -> {
            if (k.isEmpty() || k.length() > 63 || v == null || v.length() > 63) {
                errors.add(new FieldError(prefix + ".labels", "keys and values are 1..63 characters"));
            }
        });
        return errors;
    }
}
