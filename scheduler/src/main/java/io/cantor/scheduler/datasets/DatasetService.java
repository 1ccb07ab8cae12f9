package io.cantor.scheduler.datasets;

import com.hazelcast.map.IMap;
import io.cantor.model.Dataset;
import io.cantor.model.FieldError;
import io.cantor.model.Ids;
import io.cantor.model.audio.AudioHeader;
import io.cantor.scheduler.api.ApiException;
import io.cantor.scheduler.blob.BlobStore;
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

/**
 * Turns uploaded recordings into a {@link Dataset}: checks that each file is audio, takes the
 * files into the blob store and records the dataset in the cluster (journaled). A refused upload
 * leaves nothing behind.
 */
public final class DatasetService {
    public static final String MAP = "datasets";
    public static final int MAX_FILES = 200;

    private final Vertx vertx;
    private final IMap<String, Dataset> datasets;
    private final BlobStore blobs;
    private final InstantSource clock;

    public DatasetService(Vertx vertx, IMap<String, Dataset> datasets, BlobStore blobs, InstantSource clock) {
        this.vertx = vertx;
        this.datasets = datasets;
        this.blobs = blobs;
        this.clock = clock;
    }

    /** An uploaded file waiting on local disk: the form field, the client's name, where it is. */
    public record Upload(String field, String fileName, Path path, long size) {
    }

    public Future<Dataset> create(String tenant, List<Upload> uploads) {
        if (uploads.isEmpty()) {
            return Future.failedFuture(ApiException.invalidField("files", "send at least one audio file"));
        }
        if (uploads.size() > MAX_FILES) {
            return Future.failedFuture(ApiException.invalidField("files", "at most " + MAX_FILES + " files per dataset"));
        }
        String id = Ids.newId(clock);
        return vertx.executeBlocking(() -> probeAll(uploads))
                .compose(headers -> store(id, uploads, headers))
                .compose(files -> {
                    double seconds = files.stream().mapToDouble(Dataset.AudioFile::seconds).sum();
                    long bytes = files.stream().mapToLong(Dataset.AudioFile::bytes).sum();
                    Dataset dataset = new Dataset(id, tenant, files, seconds, bytes, clock.instant());
                    return Future.fromCompletionStage(datasets.setAsync(id, dataset), vertx.getOrCreateContext())
                            .map(v -> dataset);
                })
                .recover(failure -> blobs.deletePrefix(prefix(id)).transform(ignored -> Future.failedFuture(failure)));
    }

    public Future<Optional<Dataset>> find(String id) {
        return Future.fromCompletionStage(datasets.getAsync(id), vertx.getOrCreateContext()).map(Optional::ofNullable);
    }

    public static String prefix(String datasetId) {
        return "datasets/" + datasetId + "/";
    }

    private static List<AudioHeader> probeAll(List<Upload> uploads) throws IOException {
        List<AudioHeader> headers = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < uploads.size(); i++) {
            Upload upload = uploads.get(i);
            String field = "files[" + i + "] (" + upload.fileName() + ")";
            if (upload.size() == 0) {
                errors.add(new FieldError(field, "is empty"));
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
                }
                headers.add(header);
            } catch (AudioHeader.NotAudioException e) {
                errors.add(new FieldError(field, e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return headers;
    }

    private Future<List<Dataset.AudioFile>> store(String id, List<Upload> uploads, List<AudioHeader> headers) {
        List<Future<Dataset.AudioFile>> stored = new ArrayList<>();
        for (int i = 0; i < uploads.size(); i++) {
            Upload upload = uploads.get(i);
            AudioHeader header = headers.get(i);
            String name = safeName(upload.fileName(), i, header.format());
            String key = prefix(id) + i + "-" + name;
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
