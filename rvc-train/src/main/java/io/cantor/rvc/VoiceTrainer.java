package io.cantor.rvc;

import java.io.IOException;

/** Turns recordings into a voice model. Blocking and CPU/GPU heavy: callers run it on a worker thread. */
public interface VoiceTrainer {
    TrainingResult train(TrainingRequest request, TrainingListener listener)
            throws IOException, InvalidTrainingDataException, TrainingCancelledException;
}
