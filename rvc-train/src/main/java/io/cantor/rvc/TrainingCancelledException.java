package io.cantor.rvc;

/** The listener asked the run to stop; nothing was produced. */
public final class TrainingCancelledException extends Exception {
    public TrainingCancelledException(String jobId) {
        super("training of job " + jobId + " was cancelled");
    }
}
