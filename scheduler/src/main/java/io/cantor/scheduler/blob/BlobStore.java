package io.cantor.scheduler.blob;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where recordings, checkpoints and models live. A blob becomes visible only once complete
 * (written under a temporary name, then renamed) and carries its SHA-256.
 * Keys are slash-separated paths such as {@code datasets/<id>/0-take1.wav}.
 */
public interface BlobStore {

    /** Streams {@code body} into the store. */
    Future<BlobInfo> put(String key, ReadStream<Buffer> body);

    /** Takes a finished local file (an upload) into the store; the source is moved when possible. */
    Future<BlobInfo> putFile(String key, Path source);

    Future<Optional<BlobInfo>> stat(String key);

    /** A stream of the blob's bytes; fails with {@link BlobNotFoundException} if there is none. */
    Future<ReadStream<Buffer>> open(String key);

    /** Removes every blob whose key starts with {@code prefix}. */
    Future<Void> deletePrefix(String prefix);

    record BlobInfo(String key, long bytes, String sha256) {
    }
}
