package io.cantor.scheduler.blob.fs;

import io.cantor.scheduler.blob.BlobNotFoundException;
import io.cantor.scheduler.blob.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@link BlobStore} on a folder: the data folder of a standalone node, or a volume that every
 * scheduler of a cluster mounts. Each blob {@code k} is the file {@code root/k} beside
 * {@code root/k.sha256}; writes go to {@code .tmp-*} names first and are renamed when complete.
 * File I/O runs on worker threads or through Vert.x's async file API, never on an event loop.
 */
public final class FsBlobStore implements BlobStore {
    private static final String CHECKSUM_SUFFIX = ".sha256";

    private final Vertx vertx;
    private final Path root;

    public FsBlobStore(Vertx vertx, Path root) {
        this.vertx = vertx;
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create blob folder " + this.root, e);
        }
    }

    @Override
    public Future<BlobInfo> put(String key, ReadStream<Buffer> body) {
        Path target = resolve(key);
        Path temp = temporaryBeside(target);
        MessageDigest digest = sha256();
        long[] bytes = {0};
        return vertx.fileSystem().mkdirs(target.getParent().toString())
                .compose(v -> vertx.fileSystem().open(temp.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
                .compose(file -> {
                    ReadStream<Buffer> counted = new DigestingStream(body, buffer -> {
                        digest.update(buffer.getBytes());
                        bytes[0] += buffer.length();
                    });
                    return counted.pipeTo(file).recover(failure -> vertx.fileSystem().delete(temp.toString())
                            .transform(ignored -> Future.failedFuture(failure)));
                })
                .compose(v -> vertx.executeBlocking(() -> commit(temp, target, HexFormat.of().formatHex(digest.digest()))))
                .map(sha -> new BlobInfo(key, bytes[0], sha));
    }

    @Override
    public Future<BlobInfo> putFile(String key, Path source) {
        Path target = resolve(key);
        return vertx.executeBlocking(() -> {
            Files.createDirectories(target.getParent());
            Path temp = temporaryBeside(target);
            try {
                Files.move(source, temp, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileSystemException e) {
                Files.copy(source, temp); // another filesystem: copy, then drop the upload
                Files.deleteIfExists(source);
            }
            String sha = checksumOf(temp);
            commit(temp, target, sha);
            return new BlobInfo(key, Files.size(target), sha);
        });
    }

    @Override
    public Future<Optional<BlobInfo>> stat(String key) {
        Path path = resolve(key);
        return vertx.executeBlocking(() -> {
            if (!Files.isRegularFile(path)) {
                return Optional.empty();
            }
            Path sum = path.resolveSibling(path.getFileName() + CHECKSUM_SUFFIX);
            String sha = Files.exists(sum) ? Files.readString(sum, StandardCharsets.US_ASCII).trim() : null;
            return Optional.of(new BlobInfo(key, Files.size(path), sha));
        });
    }

    @Override
    public Future<ReadStream<Buffer>> open(String key) {
        Path path = resolve(key);
        return vertx.fileSystem().exists(path.toString()).compose(exists -> exists
                ? vertx.fileSystem().open(path.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                        .map(file -> (ReadStream<Buffer>) file)
                : Future.failedFuture(new BlobNotFoundException(key)));
    }

    @Override
    public Future<Void> deletePrefix(String prefix) {
        Path base = resolve(prefix);
        return vertx.executeBlocking(() -> {
            if (!Files.exists(base)) {
                return null;
            }
            try (Stream<Path> walk = Files.walk(base)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            return null;
        });
    }

    /** Where a key lives; refuses keys that would escape the root ({@code ..}, absolute paths). */
    public Path resolve(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.contains("\0")) {
            throw new IllegalArgumentException("bad blob key " + key);
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("bad blob key " + key);
        }
        return path;
    }

    private static Path temporaryBeside(Path target) {
        return target.resolveSibling(".tmp-" + UUID.randomUUID() + "-" + target.getFileName());
    }

    private static String commit(Path temp, Path target, String sha) throws IOException {
        Path sum = target.resolveSibling(target.getFileName() + CHECKSUM_SUFFIX);
        Files.writeString(sum, sha + "\n", StandardCharsets.US_ASCII);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return sha;
    }

    private static String checksumOf(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            for (int n; (n = in.read(chunk)) > 0; ) {
                digest.update(chunk, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Passes a stream through while showing each buffer to an observer (for the checksum). */
    private static final class DigestingStream implements ReadStream<Buffer> {
        private final ReadStream<Buffer> source;
        private final io.vertx.core.Handler<Buffer> observer;

        DigestingStream(ReadStream<Buffer> source, io.vertx.core.Handler<Buffer> observer) {
            this.source = source;
            this.observer = observer;
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(io.vertx.core.Handler<Throwable> handler) {
            source.exceptionHandler(handler);
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(io.vertx.core.Handler<Buffer> handler) {
            source.handler(handler == null ? null : buffer -> {
                observer.handle(buffer);
                handler.handle(buffer);
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            source.pause();
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            source.resume();
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            source.fetch(amount);
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(io.vertx.core.Handler<Void> endHandler) {
            source.endHandler(endHandler);
            return this;
        }
    }
}
