package io.cantor.agent.scheduler;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Passes buffers on to another stream and hashes them on the way (SHA-256) and counts them, so a
 * download is checked as it is written instead of by reading the file back.
 */
final class DigestingWriteStream implements WriteStream<Buffer> {
    private final WriteStream<Buffer> target;
    private final MessageDigest digest;
    private long bytes;

    DigestingWriteStream(WriteStream<Buffer> target) {
        this.target = target;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public Future<Void> write(Buffer data) {
        digest.update(data.getBytes());
        bytes += data.length();
        return target.write(data);
    }

    @Override
    public Future<Void> end() {
        return target.end();
    }

    @Override
    public DigestingWriteStream exceptionHandler(Handler<Throwable> handler) {
        target.exceptionHandler(handler);
        return this;
    }

    @Override
    public DigestingWriteStream setWriteQueueMaxSize(int maxSize) {
        target.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return target.writeQueueFull();
    }

    @Override
    public DigestingWriteStream drainHandler(Handler<Void> handler) {
        target.drainHandler(handler);
        return this;
    }

    long bytes() {
        return bytes;
    }

    /** The hex SHA-256 of everything written; call once, after the last write. */
    String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
