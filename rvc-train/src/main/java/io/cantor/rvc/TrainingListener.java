package io.cantor.rvc;

import io.cantor.model.Progress;

import java.nio.file.Path;

/** How a training run talks back to whoever runs it (the agent): progress, log lines, checkpoints, cancellation. */
public interface TrainingListener {

    TrainingListener NONE = new TrainingListener() {
    };

    default void progress(Progress progress) {
    }

    default void log(String line) {
    }

    /** A checkpoint zip after {@code epoch}; the run may delete it once this returns. */
    default void checkpoint(Path checkpointZip, int epoch) {
    }

    /** Polled between steps; a run stops with {@link TrainingCancelledException} once it says yes. */
    default boolean isCancelled() {
        return false;
    }
}
