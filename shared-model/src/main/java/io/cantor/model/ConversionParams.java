package io.cantor.model;

/**
 * A conversion job: run {@code modelJobId}'s model over the recording stored at {@code inputBlob}.
 *
 * @param transpose semitones added to the source F0 (RVC's "transpose")
 * @param indexRate how much of the retrieval index's target-speaker features to blend in, 0..1
 */
public record ConversionParams(String modelJobId, String inputBlob, double transpose, double indexRate) {
}
