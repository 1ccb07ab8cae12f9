package io.cantor.rvc;

/** The recordings cannot train a model (not audio, too short, silent): retrying will not help. */
public final class InvalidTrainingDataException extends Exception {
    public InvalidTrainingDataException(String message) {
        super(message);
    }

    public InvalidTrainingDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
