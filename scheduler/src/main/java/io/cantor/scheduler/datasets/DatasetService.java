package io.cantor.scheduler.datasets;

import com.hazelcast.map.IMap;
import io.cantor.model.Dataset;
import io.cantor.model.FieldError;
import io.cantor.model.Ids;
import io.cantor.model.audio.AudioHeader;
import io.cantor.scheduler.api.ApiException;
import io.cantor.scheduler.blob.BlobKeys;
import io.cantor.scheduler.blob.BlobStore;
import io.cantor.scheduler.cluster.LocalCopies;
import io.cantor.scheduler.config.Limits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Turns uploaded recordings into a {@link Dataset}: checks that each file is audio, takes the
 * files into the blob store and records the dataset in the cluster (journaled). A refused upload
 * leaves nothing behind.
 */
public final class DatasetService {
    public static final String MAP = "datasets";

    private final Vertx vertx;
    private final IMap<String, Dataset> datasets;
    private final LocalCopies<String, Dataset> copies;
    private final BlobStore blobs;
    private final InstantSource clock;
    private final Limits limits;

    public DatasetService(Vertx vertx, IMap<String, Dataset> datasets, BlobStore blobs, InstantSource clock, Limits limits) {
        this.vertx = vertx;
        this.datasets = datasets;
        this.copies = new LocalCopies<>(datasets, 10_000); // every JSON submission reads its dataset
        this.blobs = blobs;
        this.clock = clock;
        this.limits = limits;
    }

    /** An uploaded file waiting on local disk: the form field, the client's name, where it is. */
    public record Upload(String field, String fileName, Path path, long size) {
    }

    public Future<Dataset> create(String tenant, List<Upload> uploads) {
        if (uploads.isEmpty()) {
            return Future.failedFuture(ApiException.invalidField("files", "send at least one audio file"));
        }
        if (uploads.size() > limits.maxFiles()) {
            return Future.failedFuture(ApiException.invalidField("files", "at most " + limits.maxFiles() + " files per dataset"));
        }
        String id = Ids.newId(clock);
        return vertx.executeBlocking(() -> probeAll(uploads, limits, limits.minTotalSeconds()))
                .compose(headers -> store(uploads, headers, (index, name) -> BlobKeys.dataset(id) + index + "-" + name))
                .compose(files -> {
                    double seconds = files.stream().mapToDouble(Dataset.AudioFile::seconds).sum();
                    long bytes = files.stream().mapToLong(Dataset.AudioFile::bytes).sum();
                    Dataset dataset = new Dataset(id, tenant, files, seconds, bytes, clock.instant());
                    return Future.fromCompletionStage(datasets.setAsync(id, dataset), vertx.getOrCreateContext())
                            .map(v -> dataset);
                })
                .recover(failure -> blobs.deletePrefix(BlobKeys.dataset(id)).transform(ignored -> Future.failedFuture(failure)));
    }

    /**
     * One recording to convert, checked like a dataset's files but with no minimum length (a
     * conversion input may be a single short phrase), stored at the key {@code keyForName} gives its safe name.
     */
    public Future<Dataset.AudioFile> storeRecording(Upload upload, UnaryOperator<String> keyForName) {
        return vertx.executeBlocking(() -> probeAll(List.of(upload), limits, 0))
                .compose(headers -> store(List.of(upload), headers, (index, name) -> keyForName.apply(name)))
                .map(files -> files.get(0));
    }

    /** Removes the recordings (every blob under the dataset) and the dataset's record. */
    public Future<Void> delete(String id) {
        return blobs.deletePrefix(BlobKeys.dataset(id))
                .compose(v -> Future.fromCompletionStage(datasets.removeAsync(id), vertx.getOrCreateContext()))
                .onSuccess(v -> copies.forget(id))
                .mapEmpty();
    }

    public Future<Optional<Dataset>> find(String id) {
        return Future.fromCompletionStage(copies.get(id), vertx.getOrCreateContext()).map(Optional::ofNullable);
    }


    private static List<AudioHeader> probeAll(List<Upload> uploads, Limits limits, double minTotalSeconds) throws IOException {
        List<AudioHeader> headers = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < uploads.size(); i++) {
            Upload upload = uploads.get(i);
            String field = "files[" + i + "] (" + safeName(upload.fileName(), i, "audio") + ")";
            if (upload.size() == 0) {
                errors.add(new FieldError(field, "is empty"));
                continue;
            }
            if (upload.size() > limits.maxFileBytes()) {
                errors.add(new FieldError(field, "is larger than " + (limits.maxFileBytes() >> 20) + " MiB"));
                continue;
            }
            byte[] head;
            try (InputStream in = Files.newInputStream(upload.path())) {
                head = in.readNBytes(AudioHeader.HEAD_BYTES);
            }
            try {
                AudioHeader header = AudioHeader.read(head, upload.size());
                if (header.seconds() <= 0) {
                    errors.add(new FieldError(field, "holds no samples"));
                } else if (header.sampleRate() < limits.minSampleRate() || header.sampleRate() > limits.maxSampleRate()) {
                    errors.add(new FieldError(field, "sample rate " + header.sampleRate() + " Hz is outside "
                            + limits.minSampleRate() + ".." + limits.maxSampleRate() + " Hz"));
                }
                headers.add(header);
            } catch (AudioHeader.NotAudioException e) {
                errors.add(new FieldError(field, e.getMessage()));
            }
        }
        if (errors.isEmpty()) {
            double seconds = headers.stream().mapToDouble(AudioHeader::seconds).sum();
            if (seconds < minTotalSeconds) {
                errors.add(new FieldError("files", String.format("hold %.1f s of audio; at least %.0f s are needed",
                        seconds, minTotalSeconds)));
            } else if (seconds > limits.maxTotalSeconds()) {
                errors.add(new FieldError("files", String.format("hold %.0f s of audio; at most %.0f s are accepted",
                        seconds, limits.maxTotalSeconds())));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return headers;
    }

    /** Where the {@code index}th upload, under its safe {@code name}, is stored. */
    @FunctionalInterface
    private interface KeyFor {
        String key(int index, String name);
    }

    private Future<List<Dataset.AudioFile>> store(List<Upload> uploads, List<AudioHeader> headers, KeyFor keyFor) {
        List<Future<Dataset.AudioFile>> stored = new ArrayList<>();
        for (int i = 0; i < uploads.size(); i++) {
            Upload upload = uploads.get(i);
            AudioHeader header = headers.get(i);
            String name = safeName(upload.fileName(), i, header.format());
            String key = keyFor.key(i, name);
            stored.add(blobs.putFile(key, upload.path()).map(blob -> new Dataset.AudioFile(name, key, blob.bytes(),
                    blob.sha256(), header.format(), header.sampleRate(), header.channels(), header.seconds())));
        }
        return Future.all(stored).map(all -> all.<Dataset.AudioFile>list());
    }

    /** A file name reduced to safe characters and stripped of any path, e.g. {@code ../../a b.wav -> a_b.wav}. */
    static String safeName(String clientName, int index, String format) {
        String base = clientName == null ? "" : clientName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        base = base.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[._]+", "");
        if (base.length() > 100) {
            base = base.substring(base.length() - 100);
        }
        return base.isEmpty() ? "recording-" + index + "." + format : base;
    }
}
