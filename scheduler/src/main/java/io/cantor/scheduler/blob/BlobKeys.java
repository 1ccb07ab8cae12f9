package io.cantor.scheduler.blob;

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

    public static String artifact(String jobId, long attempt) {
        return models(jobId) + "attempt-" + attempt + ".zip";
    }

    public static String checkpoints(String jobId) {
        return "checkpoints/" + jobId + "/";
    }

    public static String checkpoint(String jobId) {
        return checkpoints(jobId) + "latest.zip";
    }
}
