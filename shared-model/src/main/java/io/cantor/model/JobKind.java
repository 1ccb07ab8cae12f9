package io.cantor.model;

/** What an agent does with a job. */
public enum JobKind {
    /** Train a voice model from a dataset's recordings. */
    TRAIN,
    /** Convert one recording with an already trained model; short and interactive. */
    CONVERT
}
