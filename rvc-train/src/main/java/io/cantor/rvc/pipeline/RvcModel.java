package io.cantor.rvc.pipeline;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.cantor.model.json.Json;
import io.cantor.rvc.RvcOptions;
import io.cantor.rvc.content.ContentEncoder;
import io.cantor.rvc.content.ContentNet;
import io.cantor.rvc.content.LearnedContentEncoder;
import io.cantor.rvc.content.SpectralContentEncoder;
import io.cantor.rvc.content.TorchScriptContentEncoder;
import io.cantor.rvc.index.IvfIndex;
import io.cantor.rvc.model.ModelConfig;
import io.cantor.rvc.model.NsfGenerator;
import io.cantor.rvc.model.Synthesizer;
import io.cantor.rvc.model.Table;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A voice model in memory (generator, speaker table, content encoder, retrieval index, sizes) and
 * its on-disk form: the files of the artifact zip, which checkpoints reuse.
 *
 * <pre>
 * config.json              format "cantor-rvc", version "v2", sampleRate, f0, sizes, encoder, speakers
 * generator.params         NSF generator weights (DJL parameter file)
 * speakers.params          speaker embedding table [speakers, speakerDim]
 * content_encoder.params   the learned content encoder (only when its kind is "learned")
 * index.ivf                retrieval index over the training content features ({@link IvfIndex} format)
 * </pre>
 */
public final class RvcModel implements AutoCloseable {
    public static final String FORMAT = "cantor-rvc";
    public static final String VERSION = "v2";
    public static final String CONFIG = "config.json";
    public static final String GENERATOR = "generator.params";
    public static final String SPEAKERS = "speakers.params";
    public static final String ENCODER = "content_encoder.params";
    public static final String INDEX = "index.ivf";

    private final ModelConfig config;
    private final String task;
    private final List<String> speakerNames;
    private final NDManager manager;
    private final NsfGenerator generator;
    private final Table speakers;
    private ContentEncoder encoder;
    private IvfIndex index;

    /** A fresh, randomly initialised model on {@code device}. */
    public RvcModel(ModelConfig config, String task, List<String> speakerNames, ContentEncoder encoder, Device device) {
        this.config = config;
        this.task = task;
        this.speakerNames = List.copyOf(speakerNames);
        this.encoder = encoder;
        this.manager = NDManager.newBaseManager(device);
        this.generator = new NsfGenerator(config);
        this.speakers = new Table(speakerNames.size(), config.speakerDim());
        generator.initialize(manager);
        speakers.initialize(manager);
    }

    public ModelConfig config() {
        return config;
    }

    public String task() {
        return task;
    }

    public List<String> speakerNames() {
        return speakerNames;
    }

    public NsfGenerator generator() {
        return generator;
    }

    public Table speakers() {
        return speakers;
    }

    public NDManager manager() {
        return manager;
    }

    public ContentEncoder encoder() {
        return encoder;
    }

    public IvfIndex index() {
        return index;
    }

    /** Hands the content encoder over to another model: this one will not close it. */
    public void detachEncoder() {
        encoder = null;
    }

    public void setIndex(IvfIndex index) {
        this.index = index;
    }

    public Synthesizer synthesizer() {
        return new Synthesizer(generator, speakers, manager);
    }

    /** Copies another model's generator weights (same sizes) and, when the speaker lists match, its speakers; otherwise every speaker starts at the mean of the other's (fine-tuning from a base). */
    public void initialiseFrom(RvcModel base) {
        var mine = generator.getParameters();
        var theirs = base.generator.getParameters();
        for (int i = 0; i < mine.size(); i++) {
            mine.get(i).getValue().getArray().set(theirs.get(i).getValue().getArray().toFloatArray());
        }
        float[] table = base.speakers.weight().getArray().toFloatArray();
        int width = config.speakerDim();
        int rows = base.speakers.rows();
        float[] init = new float[speakers.rows() * width];
        if (rows == speakers.rows()) {
            init = table;
        } else {
            float[] mean = new float[width];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < width; c++) {
                    mean[c] += table[r * width + c] / rows;
                }
            }
            for (int r = 0; r < speakers.rows(); r++) {
                System.arraycopy(mean, 0, init, r * width, width);
            }
        }
        speakers.weight().getArray().set(init);
    }

    /** Writes the model files (not metrics or loss curve) into {@code dir}. */
    public void writeFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(CONFIG), Json.writeBytes(configJson()));
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(GENERATOR))))) {
            generator.saveParameters(out);
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(SPEAKERS))))) {
            speakers.saveParameters(out);
        }
        if (encoder instanceof LearnedContentEncoder learned) {
            learned.save(dir.resolve(ENCODER));
        }
        if (index != null) {
            index.save(dir.resolve(INDEX));
        }
    }

    public Map<String, Object> configJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("version", VERSION);
        json.put("sampleRate", config.sampleRate());
        json.put("f0", true);
        json.put("modelSize", config.size());
        json.put("task", task);
        json.put("hop", config.hop());
        json.put("f0Rate", 16000);
        json.put("f0Hop", 160);
        json.put("featureRate", 16000);
        json.put("featureHop", ContentEncoder.HOP_16K);
        json.put("generator", config);
        json.put("speakers", speakerNames);
        Map<String, Object> enc = new LinkedHashMap<>();
        enc.put("kind", encoder.kind());
        enc.put("dim", encoder.dim());
        if (encoder instanceof LearnedContentEncoder learned) {
            enc.put("net", learned.net().shape());
            enc.put("file", ENCODER);
        }
        json.put("contentEncoder", enc);
        if (index != null) {
            json.put("index", Map.of("file", INDEX, "vectors", index.size(), "lists", index.listCount(), "dim", index.dim()));
        }
        return json;
    }

    /** Loads model files written by {@link #writeFiles} from a folder. */
    public static RvcModel readFiles(Path dir, RvcOptions options, Device device) throws IOException {
        JsonNode json = Json.mapper().readTree(dir.resolve(CONFIG).toFile());
        if (!FORMAT.equals(json.path("format").asText()) || !VERSION.equals(json.path("version").asText())) {
            throw new IOException("not a " + FORMAT + " " + VERSION + " model: " + json.path("format").asText());
        }
        ModelConfig config = Json.mapper().treeToValue(json.get("generator"), ModelConfig.class);
        List<String> names = new ArrayList<>();
        json.path("speakers").forEach(n -> names.add(n.asText()));
        ContentEncoder encoder = readEncoder(json.path("contentEncoder"), dir, options);
        if (encoder.dim() != config.contentDim()) {
            encoder.close();
            throw new IOException("content encoder gives " + encoder.dim() + " dims, the generator reads " + config.contentDim());
        }
        RvcModel model = new RvcModel(config, json.path("task").asText("voice"), names, encoder, device);
        try {
            load(model.generator, model.manager, dir.resolve(GENERATOR));
            load(model.speakers, model.manager, dir.resolve(SPEAKERS));
            if (Files.exists(dir.resolve(INDEX))) {
                model.index = IvfIndex.load(dir.resolve(INDEX));
            }
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    static ContentEncoder readEncoder(JsonNode node, Path dir, RvcOptions options) throws IOException {
        String kind = node.path("kind").asText(SpectralContentEncoder.KIND);
        return switch (kind) {
            case LearnedContentEncoder.KIND ->
                    LearnedContentEncoder.load(Json.mapper().treeToValue(node.get("net"), ContentNet.Shape.class), dir.resolve(ENCODER));
            case TorchScriptContentEncoder.KIND -> {
                if (options == null || options.contentEncoderModel() == null) {
                    throw new IOException("the model was trained on TorchScript content features but no content encoder model is configured");
                }
                yield new TorchScriptContentEncoder(options.contentEncoderModel());
            }
            case SpectralContentEncoder.KIND -> new SpectralContentEncoder();
            default -> throw new IOException("unknown content encoder kind " + kind);
        };
    }

    private static void load(ai.djl.nn.Block block, NDManager manager, Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException(file.getFileName() + " does not fit the configured sizes: " + e.getMessage(), e);
        }
    }

    /** Unpacks a zip into {@code dir} (refusing entries that would land outside it). */
    public static void unzip(Path zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                if (e.isDirectory()) {
                    continue;
                }
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir.normalize())) {
                    throw new IOException("zip entry escapes its folder: " + e.getName());
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Zips the regular files of {@code dir} (flat) into {@code zip}. */
    public static Path zip(Path dir, Path zip) throws IOException {
        Path tmp = zip.resolveSibling(zip.getFileName() + ".tmp");
        try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)));
             var files = Files.list(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(p.getFileName().toString()));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
        return Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Unpacks and loads an artifact zip. */
    public static RvcModel load(Path zip, Path workDir, RvcOptions options, Device device) throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(workDir), "model-");
        unzip(zip, dir);
        return readFiles(dir, options, device);
    }

    @Override
    public void close() {
        manager.close();
        if (encoder != null) {
            encoder.close();
        }
    }
}
