package io.cantor.model;

import java.time.Instant;
import java.util.List;

/** Recordings uploaded once and used by any number of jobs of the same tenant. */
public record Dataset(String id, String tenant, List<AudioFile> files, double totalSeconds, long totalBytes,
                      Instant createdAt) {
    public Dataset {
        files = List.copyOf(files);
    }

    /**
     * One stored recording.
     *
     * @param name    the client's file name, made safe (no path parts)
     * @param blobKey where the bytes are in the blob store
     */
    public record AudioFile(String name, String blobKey, long bytes, String sha256, String format, int sampleRate,
                            int channels, double seconds) {
    }
}
