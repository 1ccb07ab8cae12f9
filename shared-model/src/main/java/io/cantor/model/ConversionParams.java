package io.cantor.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A conversion job: run {@code modelJobId}'s voice model over one uploaded recording.
 *
 * @param modelJobId the SUCCEEDED training job whose model converts
 * @param input      the recording's file name as stored (the blob lives beside the job's output)
 * @param transpose  semitones added to the source F0 (RVC's {@code f0_up_key}), e.g. +12 male to female
 * @param indexRate  share of the retrieval index's target-speaker features blended in, 0..1
 */
public record ConversionParams(String modelJobId, String input, double transpose, double indexRate) {
    public static final double DEFAULT_INDEX_RATE = 0.75; // RVC's default
    public static final int MAX_TRANSPOSE = 24;

    public List<FieldError> validate(String prefix) {
        List<FieldError> errors = new ArrayList<>();
        if (!Double.isFinite(transpose) || Math.abs(transpose) > MAX_TRANSPOSE) {
            errors.add(new FieldError(prefix + ".transpose", "must be between -" + MAX_TRANSPOSE + " and " + MAX_TRANSPOSE + " semitones"));
        }
        if (!(indexRate >= 0 && indexRate <= 1)) {
            errors.add(new FieldError(prefix + ".indexRate", "must be between 0 and 1"));
        }
        return errors;
    }
}
