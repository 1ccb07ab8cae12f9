package io.cantor.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How to train. Defaults follow RVC V2's 40 kHz configuration where RVC has one; a client may
 * send any subset of the fields.
 *
 * @param epochs          passes over the training chunks
 * @param maxSteps        optional cap on optimiser steps (0 = none), handy for smoke tests
 * @param batchSize       chunks per optimiser step
 * @param sampleRate      the model's output rate: 32000, 40000 or 48000
 * @param modelSize       {@code tiny} (tests), {@code small}, {@code rvc} (RVC-sized, for GPUs)
 * @param learningRate    AdamW learning rate
 * @param checkpointEvery epochs between checkpoints (0 = only the final model)
 * @param holdoutFraction share of recordings kept out of training for evaluation
 * @param seed            makes data split and initialisation repeatable
 * @param baseModel       id of an earlier succeeded training job whose model is the starting point
 * @param task            {@code voice}: learn one speaker's voice (the usual job); {@code base}: learn a base
 *                        model (content encoder and generator prior) from a multi-speaker corpus
 */
public record TrainingParams(int epochs, int maxSteps, int batchSize, int sampleRate, String modelSize,
                             double learningRate, int checkpointEvery, double holdoutFraction, long seed,
                             String baseModel, String task) {

    public static final Set<Integer> SAMPLE_RATES = Set.of(32000, 40000, 48000);
    public static final Set<String> MODEL_SIZES = Set.of("tiny", "small", "rvc");
    public static final Set<String> TASKS = Set.of("voice", "base");
    public static final TrainingParams DEFAULTS = new TrainingParams(20, 0, 8, 40000, "small", 2e-4, 5, 0.1, 1234L, null,
            "voice");

    @JsonCreator
    public static TrainingParams fromJson(@JsonProperty("epochs") Integer epochs,
                                          @JsonProperty("maxSteps") Integer maxSteps,
                                          @JsonProperty("batchSize") Integer batchSize,
                                          @JsonProperty("sampleRate") Integer sampleRate,
                                          @JsonProperty("modelSize") String modelSize,
                                          @JsonProperty("learningRate") Double learningRate,
                                          @JsonProperty("checkpointEvery") Integer checkpointEvery,
                                          @JsonProperty("holdoutFraction") Double holdoutFraction,
                                          @JsonProperty("seed") Long seed,
                                          @JsonProperty("baseModel") String baseModel,
                                          @JsonProperty("task") String task) {
        TrainingParams d = DEFAULTS;
        return new TrainingParams(
                epochs == null ? d.epochs : epochs,
                maxSteps == null ? d.maxSteps : maxSteps,
                batchSize == null ? d.batchSize : batchSize,
                sampleRate == null ? d.sampleRate : sampleRate,
                modelSize == null ? d.modelSize : modelSize,
                learningRate == null ? d.learningRate : learningRate,
                checkpointEvery == null ? d.checkpointEvery : checkpointEvery,
                holdoutFraction == null ? d.holdoutFraction : holdoutFraction,
                seed == null ? d.seed : seed,
                baseModel,
                task == null ? d.task : task);
    }

    public List<FieldError> validate(String prefix) {
        List<FieldError> errors = new ArrayList<>();
        range(errors, prefix + ".epochs", epochs, 1, 10_000);
        range(errors, prefix + ".maxSteps", maxSteps, 0, 10_000_000);
        range(errors, prefix + ".batchSize", batchSize, 1, 256);
        if (!SAMPLE_RATES.contains(sampleRate)) {
            errors.add(new FieldError(prefix + ".sampleRate", "must be one of 32000, 40000, 48000"));
        }
        if (modelSize == null || !MODEL_SIZES.contains(modelSize)) {
            errors.add(new FieldError(prefix + ".modelSize", "must be one of tiny, small, rvc"));
        }
        if (!(learningRate > 0 && learningRate <= 1)) {
            errors.add(new FieldError(prefix + ".learningRate", "must be in (0, 1]"));
        }
        range(errors, prefix + ".checkpointEvery", checkpointEvery, 0, 10_000);
        if (!(holdoutFraction >= 0 && holdoutFraction <= 0.5)) {
            errors.add(new FieldError(prefix + ".holdoutFraction", "must be in [0, 0.5]"));
        }
        if (task == null || !TASKS.contains(task)) {
            errors.add(new FieldError(prefix + ".task", "must be voice or base"));
        }
        if (baseModel != null && (baseModel.isBlank() || baseModel.length() > 64)) {
            errors.add(new FieldError(prefix + ".baseModel", "must be a job id"));
        }
        return errors;
    }

    private static void range(List<FieldError> errors, String field, long value, long min, long max) {
        if (value < min || value > max) {
            errors.add(new FieldError(field, "must be between " + min + " and " + max));
        }
    }
}
