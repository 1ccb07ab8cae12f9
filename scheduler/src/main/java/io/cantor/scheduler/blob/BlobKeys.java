package io.cantor.scheduler.blob;

import io.cantor.model.JobKind;

/** Where each kind of blob lives, in one place: deleting "everything about X" relies on these prefixes. */
public final class BlobKeys {
    private BlobKeys() {
    }

    public static String dataset(String datasetId) {
        return "datasets/" + datasetId + "/";
    }

    public static String models(String jobId) {
        return "models/" + jobId + "/";
    }

    /** What an attempt produced: a model zip, or for a conversion the WAV. */
    public static String artifact(String jobId, long attempt, JobKind kind) {
        return models(jobId) + "attempt-" + attempt + (kind == JobKind.CONVERT ? ".wav" : ".zip");
    }

    /** A conversion's input recording; under the job's own prefix, so deleting its output deletes the input too. */
    public static String conversionInput(String jobId, String fileName) {
        return models(jobId) + "input/" + fileName;
    }

    public static String checkpoints(String jobId) {
        return "checkpoints/" + jobId + "/";
    }

    public static String checkpoint(String jobId) {
        return checkpoints(jobId) + "latest.zip";
    }
}
