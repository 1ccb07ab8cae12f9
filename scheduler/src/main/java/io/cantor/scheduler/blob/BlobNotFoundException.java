package io.cantor.scheduler.blob;

public final class BlobNotFoundException extends RuntimeException {
    public BlobNotFoundException(String key) {
        super("no blob " + key, null, false, false);
    }
}
