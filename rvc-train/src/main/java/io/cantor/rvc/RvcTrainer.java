package io.cantor.rvc;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import io.cantor.model.Progress;
import io.cantor.model.TrainingParams;
import io.cantor.model.json.Json;
import io.cantor.rvc.audio.AudioClip;
import io.cantor.rvc.audio.AudioDecoder;
import io.cantor.rvc.audio.UnsupportedAudioException;
import io.cantor.rvc.content.ContentEncoder;
import io.cantor.rvc.content.ContentEncoderTrainer;
import io.cantor.rvc.content.ContentNet;
import io.cantor.rvc.content.LearnedContentEncoder;
import io.cantor.rvc.content.SpectralContentEncoder;
import io.cantor.rvc.content.TorchScriptContentEncoder;
import io.cantor.rvc.dsp.HighPassFilter;
import io.cantor.rvc.dsp.MelConfig;
import io.cantor.rvc.dsp.Preprocessor;
import io.cantor.rvc.dsp.Resampler;
import io.cantor.rvc.eval.MelCepstralDistortion;
import io.cantor.rvc.f0.F0;
import io.cantor.rvc.f0.YinPitchEstimator;
import io.cantor.rvc.index.IvfIndex;
import io.cantor.rvc.model.AdamW;
import io.cantor.rvc.model.LossSpikeGuard;
import io.cantor.rvc.model.GradMode;
import io.cantor.rvc.model.ModelConfig;
import io.cantor.rvc.model.MultiPeriodDiscriminator;
import io.cantor.rvc.model.SineSource;
import io.cantor.rvc.model.SpectralLoss;
import io.cantor.rvc.model.Synthesizer;
import io.cantor.rvc.pipeline.Evaluation;
import io.cantor.rvc.pipeline.RvcModel;
import io.cantor.rvc.pipeline.TrainingChunk;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * RVC V2 training as a Cantor job: preprocess, F0, content features, retrieval index, generator
 * training with checkpoints, held-out evaluation, artifact zip. {@code task=base} jobs also train
 * the built-in content encoder on a parallel multi-speaker corpus (files named
 * {@code <speaker>__<utterance>.<ext>}); {@code task=voice} jobs learn one speaker, fine-tuning from
 * {@code baseModel} when given. See {@code rvc-train/RVC.md}.
 */
public final class RvcTrainer implements VoiceTrainer {
    /** At least a second of voiced frames is needed to learn anything. */
    public static final int MIN_VOICED_FRAMES = 100;
    /** RVC's per-epoch learning-rate decay ({@code lr_decay}). */
    public static final double LR_DECAY = 0.999875;
    static final long PROGRESS_INTERVAL_NANOS = 2_000_000_000L;
    static final int MAX_EVAL_CHUNKS = 12;
    /** Steps in a row without a finite loss and gradients before a run counts as diverged. */
    static final int MAX_SKIPPED_STEPS_IN_A_ROW = 20;
    static final int MAX_INDEX_VECTORS = 50_000;
    static final String STATE = "state.json";
    static final String OPTIMIZER = "optimizer.bin";
    static final String LOSS_CSV = "loss.csv";
    static final String METRICS = "metrics.json";
    static final String VOICE_SPEAKER = "voice";
    static final String DISCRIMINATOR = "discriminator.params";
    static final String DISCRIMINATOR_OPTIMIZER = "optimizer_d.bin";
    /** System property that forces the multi-period discriminator on or off (default: on for GPUs only). */
    public static final String DISCRIMINATOR_PROPERTY = "cantor.rvc.discriminator";

    private final RvcOptions options;

    public RvcTrainer(RvcOptions options) {
        this.options = options == null ? RvcOptions.BUILT_IN : options;
    }

    /** A recording with its speaker and sentence (base corpora), decoded. */
    private record Source(Path path, String speaker, String sentence, AudioClip clip) {
    }

    private record Resumed(RvcModel model, Path dir, int epoch, long step, double firstLoss, double trainSeconds,
                           List<String> curve, double bestLoss, int bestEpoch, double learningRateScale, int rollbacks) {
    }

    @Override
    public TrainingResult train(TrainingRequest request, TrainingListener listener)
            throws IOException, InvalidTrainingDataException, TrainingCancelledException {
        TrainingParams params = request.params();
        boolean baseTask = "base".equals(params.task());
        Device device = deviceOf(request.device());
        Path work = Files.createDirectories(request.workDir());
        GradMode.offForThisThread();
        // weight initialisation draws from the engine's generator: seed it so a job is repeatable
        Engine.getInstance().setRandomSeed((int) params.seed());
        Resumed resumed = request.resumeFrom() != null ? readCheckpoint(request.resumeFrom(), work, device) : null;
        RvcModel base = null;
        RvcModel model = null;
        try {
            // ---- preprocess
            listener.progress(Progress.stage("preprocess"));
            List<Source> sources = decode(request.recordings(), baseTask);
            List<String> speakerNames = baseTask
                    ? new ArrayList<>(new TreeSet<>(sources.stream().map(Source::speaker).toList()))
                    : List.of(VOICE_SPEAKER);
            int sampleRate = params.sampleRate();
            String size = params.modelSize();
            if (resumed != null) {
                sampleRate = resumed.model.config().sampleRate();
                size = resumed.model.config().size();
            } else if (request.baseModel() != null) {
                base = RvcModel.load(request.baseModel(), work.resolve("base"), options, device);
                if (base.config().sampleRate() != sampleRate || !base.config().size().equals(size)) {
                    listener.log("base model is " + base.config().size() + "@" + base.config().sampleRate()
                            + "; training at its sizes instead of " + size + "@" + sampleRate);
                }
                sampleRate = base.config().sampleRate();
                size = base.config().size();
            }
            Map<Boolean, List<Source>> split = split(sources, params, baseTask);
            List<Source> trainSources = split.get(false);
            List<Source> heldSources = split.get(true);
            Preprocessor preprocessor = new Preprocessor(sampleRate);
            Map<Source, List<Preprocessor.Chunk>> trainRaw = chunk(trainSources, preprocessor);
            Map<Source, List<Preprocessor.Chunk>> heldRaw = chunk(heldSources, preprocessor);
            if (trainRaw.values().stream().mapToInt(List::size).sum() == 0) {
                throw new InvalidTrainingDataException("the recordings hold no speech above the silence threshold");
            }
            if (heldRaw.isEmpty() && params.holdoutFraction() > 0) {
                moveTailChunks(trainRaw, heldRaw, params.holdoutFraction());
            }
            listener.log(String.format("preprocess: %d recordings (%d held out), %d training chunks, %d held-out chunks, %s@%d",
                    sources.size(), heldSources.size(), trainRaw.values().stream().mapToInt(List::size).sum(),
                    heldRaw.values().stream().mapToInt(List::size).sum(), size, sampleRate));
            checkCancelled(request, listener);

            // ---- f0
            listener.progress(Progress.stage("f0"));
            YinPitchEstimator yin = io.cantor.rvc.pipeline.PitchTracking.estimator();
            Map<Preprocessor.Chunk, float[]> f0 = new LinkedHashMap<>();
            int voiced = 0;
            for (var entry : concat(trainRaw, heldRaw).entrySet()) {
                for (Preprocessor.Chunk c : entry.getValue()) {
                    float[] track = yin.estimate(c.samples16k());
                    f0.put(c, track);
                    if (trainRaw.containsKey(entry.getKey())) {
                        for (float v : track) {
                            voiced += v > 0 ? 1 : 0;
                        }
                    }
                }
            }
            if (voiced < MIN_VOICED_FRAMES) {
                throw new InvalidTrainingDataException("the recordings hold only " + voiced / 100.0
                        + " s of voiced speech; at least " + MIN_VOICED_FRAMES / 100.0 + " s are needed");
            }
            listener.log("f0: " + voiced / 100.0 + " s voiced in the training chunks");
            checkCancelled(request, listener);

            // ---- features
            listener.progress(Progress.stage("features"));
            Map<String, Double> encoderMetrics = new LinkedHashMap<>();
            ContentEncoder encoder;
            if (resumed != null) {
                encoder = resumed.model.encoder();
            } else if (base != null) {
                encoder = base.encoder();
            } else if (options.contentEncoderModel() != null) {
                encoder = new TorchScriptContentEncoder(options.contentEncoderModel());
            } else if (baseTask) {
                encoder = trainEncoder(request, listener, size, trainSources, heldSources, encoderMetrics);
            } else {
                encoder = new SpectralContentEncoder();
                listener.log("features: no base model, using the weight-free spectral encoder (speaker identity leaks into it; fine-tune from a base model for conversion)");
            }
            ModelConfig config = resumed != null ? resumed.model.config()
                    : base != null ? base.config() : ModelConfig.of(size, sampleRate, encoder.dim());
            List<TrainingChunk> train = features(trainRaw, f0, encoder, speakerNames, config);
            List<TrainingChunk> held = features(heldRaw, f0, encoder, speakerNames, config);
            listener.log("features: " + encoder.kind() + " content encoder, " + encoder.dim() + " dims");
            checkCancelled(request, listener);

            // ---- index
            listener.progress(Progress.stage("index"));
            IvfIndex index = resumed != null && resumed.model.index() != null ? resumed.model.index()
                    : buildIndex(train, params.seed());
            listener.log("index: " + index.size() + " vectors in " + index.listCount() + " lists");

            // ---- train
            if (resumed != null) {
                model = resumed.model;
            } else {
                model = new RvcModel(config, params.task(), speakerNames, encoder, device);
                if (base != null) {
                    model.initialiseFrom(base);
                    listener.log("train: generator initialised from the base model");
                }
            }
            if (base != null) {
                base.detachEncoder();
            }
            model.setIndex(index);
            Map<String, Double> metrics = new LinkedHashMap<>();
            List<String> curve = trainGenerator(request, listener, model, train, resumed, metrics);

            // ---- evaluate
            listener.progress(Progress.stage("evaluate"));
            List<TrainingChunk> evalChunks = held.isEmpty() ? train : held;
            metrics.putAll(Evaluation.resynthesis(model.synthesizer(),
                    evalChunks.subList(0, Math.min(MAX_EVAL_CHUNKS, evalChunks.size())), params.seed()));
            metrics.put("evaluated_on_training_data", held.isEmpty() ? 1.0 : 0.0);
            if (baseTask) {
                metrics.putAll(encoderMetrics);
                metrics.putAll(parallelConversion(model, heldSources.isEmpty() ? trainSources : heldSources));
            }
            metrics.values().removeIf(v -> v == null || v.isNaN() || v.isInfinite());
            listener.log("evaluate: " + metrics);

            // ---- package
            listener.progress(Progress.stage("package"));
            Path dir = work.resolve("artifact");
            deleteTree(dir);
            model.writeFiles(dir);
            Files.write(dir.resolve(METRICS), Json.writeBytes(metrics));
            Files.writeString(dir.resolve(LOSS_CSV), String.join("\n", curve) + "\n", StandardCharsets.UTF_8);
            Path zip = RvcModel.zip(dir, work.resolve("model.zip"));
            listener.log("package: " + zip.getFileName() + " " + Files.size(zip) + " bytes");
            return new TrainingResult(zip, metrics);
        } catch (ContentEncoderTrainer.Cancelled e) {
            throw new TrainingCancelledException(request.jobId());
        } finally {
            if (model != null) {
                model.close();
            } else if (resumed != null) {
                resumed.model.close();
            }
            if (base != null) {
                base.close();
            }
        }
    }

    // ------------------------------------------------------------------ preprocessing

    private static List<Source> decode(List<Path> recordings, boolean baseTask) throws IOException, InvalidTrainingDataException {
        if (recordings.isEmpty()) {
            throw new InvalidTrainingDataException("no recordings");
        }
        List<Source> sources = new ArrayList<>();
        for (Path path : recordings.stream().sorted(Comparator.comparing(p -> p.getFileName().toString())).toList()) {
            String name = path.getFileName().toString();
            String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
            String speaker = VOICE_SPEAKER;
            String sentence = stem;
            if (baseTask) {
                int sep = stem.indexOf("__");
                if (sep <= 0 || sep + 2 >= stem.length()) {
                    throw new InvalidTrainingDataException("base corpus files must be named <speaker>__<utterance>.<ext>: " + name);
                }
                speaker = stem.substring(0, sep);
                sentence = stem.substring(sep + 2);
            }
            AudioClip clip;
            try {
                clip = AudioDecoder.decode(path);
            } catch (UnsupportedAudioException e) {
                throw new InvalidTrainingDataException(name + " is not usable audio: " + e.getMessage(), e);
            }
            sources.add(new Source(path, speaker, sentence, clip));
        }
        if (baseTask && sources.stream().map(Source::speaker).distinct().count() < 2) {
            throw new InvalidTrainingDataException("a base model needs recordings of at least two speakers");
        }
        return sources;
    }

    /** Held-out recordings (true) and training ones (false), deterministic by seed; base jobs hold out whole sentences. */
    private static Map<Boolean, List<Source>> split(List<Source> sources, TrainingParams params, boolean baseTask) {
        List<String> keys = new ArrayList<>(new TreeSet<>(sources.stream()
                .map(s -> baseTask ? s.sentence() : s.path().getFileName().toString()).toList()));
        Collections.shuffle(keys, new Random(params.seed()));
        int held = 0;
        if (keys.size() >= 2 && params.holdoutFraction() > 0) {
            held = (int) Math.max(1, Math.min(keys.size() - 1, Math.round(keys.size() * params.holdoutFraction())));
        }
        List<String> heldKeys = keys.subList(0, held);
        Map<Boolean, List<Source>> out = new TreeMap<>();
        out.put(true, new ArrayList<>());
        out.put(false, new ArrayList<>());
        for (Source s : sources) {
            String key = baseTask ? s.sentence() : s.path().getFileName().toString();
            out.get(heldKeys.contains(key)).add(s);
        }
        return out;
    }

    private static Map<Source, List<Preprocessor.Chunk>> chunk(List<Source> sources, Preprocessor preprocessor) {
        Map<Source, List<Preprocessor.Chunk>> out = new LinkedHashMap<>();
        for (Source s : sources) {
            List<Preprocessor.Chunk> chunks = preprocessor.process(s.clip());
            if (!chunks.isEmpty()) {
                out.put(s, chunks);
            }
        }
        return out;
    }

    /** One recording only: hold out its last chunks instead. */
    private static void moveTailChunks(Map<Source, List<Preprocessor.Chunk>> train, Map<Source, List<Preprocessor.Chunk>> held,
                                       double fraction) {
        for (var entry : train.entrySet()) {
            List<Preprocessor.Chunk> chunks = entry.getValue();
            int n = (int) Math.min(chunks.size() - 1, Math.max(1, Math.round(chunks.size() * fraction)));
            if (n >= 1 && chunks.size() >= 2) {
                held.put(entry.getKey(), new ArrayList<>(chunks.subList(chunks.size() - n, chunks.size())));
                entry.setValue(new ArrayList<>(chunks.subList(0, chunks.size() - n)));
                return;
            }
        }
    }

    private static <K, V> Map<K, V> concat(Map<K, V> a, Map<K, V> b) {
        Map<K, V> out = new LinkedHashMap<>(a);
        out.putAll(b);
        return out;
    }

    private static float[] to16kHighPassed(AudioClip clip) {
        float[] x = clip.sampleRate() == 16000 ? clip.samples() : new Resampler(clip.sampleRate(), 16000).resample(clip.samples());
        return HighPassFilter.rvc(16000).filter(x);
    }

    private static float[] atRateHighPassed(AudioClip clip, int rate) {
        float[] x = clip.sampleRate() == rate ? clip.samples() : new Resampler(clip.sampleRate(), rate).resample(clip.samples());
        return HighPassFilter.rvc(rate).filter(x);
    }

    // ------------------------------------------------------------------ features and index

    private LearnedContentEncoder trainEncoder(TrainingRequest request, TrainingListener listener, String size,
                                               List<Source> train, List<Source> held, Map<String, Double> metrics) {
        List<ContentEncoderTrainer.Utterance> trainUtterances = new ArrayList<>();
        for (Source s : train) {
            trainUtterances.add(new ContentEncoderTrainer.Utterance(s.speaker(), s.sentence(), to16kHighPassed(s.clip())));
        }
        List<ContentEncoderTrainer.Utterance> heldUtterances = new ArrayList<>();
        for (Source s : held) {
            heldUtterances.add(new ContentEncoderTrainer.Utterance(s.speaker(), s.sentence(), to16kHighPassed(s.clip())));
        }
        LearnedContentEncoder encoder = new LearnedContentEncoder(ContentNet.Shape.forSize(size));
        int steps = ContentEncoderTrainer.stepsFor(size);
        long started = System.nanoTime();
        long[] lastReport = {System.nanoTime()};
        listener.log("features: training the content encoder on " + trainUtterances.size() + " utterances of "
                + trainUtterances.stream().map(ContentEncoderTrainer.Utterance::speaker).distinct().count() + " speakers, " + steps + " steps");
        metrics.putAll(ContentEncoderTrainer.train(encoder, trainUtterances, heldUtterances, steps, request.params().seed(),
                new ContentEncoderTrainer.Monitor() {
                    @Override
                    public void step(int step, int total, double loss) {
                        long now = System.nanoTime();
                        if (step == total || now - lastReport[0] >= PROGRESS_INTERVAL_NANOS) {
                            lastReport[0] = now;
                            double seconds = (now - started) / 1e9;
                            listener.progress(new Progress("features", 0, 0, step, total, loss,
                                    step * ContentEncoderTrainer.BATCH / Math.max(seconds, 1e-9),
                                    (long) ((total - step) * seconds / step)));
                        }
                    }

                    @Override
                    public boolean cancelled() {
                        return listener.isCancelled();
                    }
                }));
        listener.log("features: content encoder trained: " + metrics);
        return encoder;
    }

    private static List<TrainingChunk> features(Map<Source, List<Preprocessor.Chunk>> raw, Map<Preprocessor.Chunk, float[]> f0,
                                                ContentEncoder encoder, List<String> speakers, ModelConfig config) {
        List<TrainingChunk> out = new ArrayList<>();
        int hop = config.hop();
        for (var entry : raw.entrySet()) {
            int speaker = Math.max(0, speakers.indexOf(entry.getKey().speaker()));
            for (Preprocessor.Chunk c : entry.getValue()) {
                float[] track = f0.get(c);
                int frames = Math.min(track.length, c.samples().length / hop);
                if (frames < 1) {
                    continue;
                }
                float[][] features = encoder.encode(c.samples16k());
                float[][] content = ContentEncoder.upsample(features, frames, encoder.dim());
                out.add(new TrainingChunk(entry.getKey().path().getFileName().toString(), speaker,
                        Arrays.copyOf(c.samples(), frames * hop), c.samples16k(), Arrays.copyOf(track, frames),
                        content, features));
            }
        }
        return out;
    }

    private static IvfIndex buildIndex(List<TrainingChunk> train, long seed) {
        List<float[]> vectors = new ArrayList<>();
        for (TrainingChunk c : train) {
            vectors.addAll(Arrays.asList(c.features()));
        }
        if (vectors.size() > MAX_INDEX_VECTORS) {
            // RVC reduces > 200k vectors with k-means; an even subsample keeps this bounded and deterministic
            List<float[]> sample = new ArrayList<>();
            double stride = (double) vectors.size() / MAX_INDEX_VECTORS;
            for (int i = 0; i < MAX_INDEX_VECTORS; i++) {
                sample.add(vectors.get((int) (i * stride)));
            }
            vectors = sample;
        }
        return IvfIndex.build(vectors.toArray(new float[0][]), seed);
    }

    // ------------------------------------------------------------------ generator training

    private List<String> trainGenerator(TrainingRequest request, TrainingListener listener, RvcModel model,
                                        List<TrainingChunk> train, Resumed resumed, Map<String, Double> metrics)
            throws IOException, TrainingCancelledException {
        TrainingParams params = request.params();
        ModelConfig config = model.config();
        int batch = params.batchSize();
        int segment = config.segmentFrames();
        int hop = config.hop();
        int dim = config.contentDim();
        int channels = config.harmonics() + 1;
        int stepsPerEpoch = Math.max(1, (train.size() + batch - 1) / batch);
        String forced = System.getProperty(DISCRIMINATOR_PROPERTY);
        boolean adversarial = forced != null ? Boolean.parseBoolean(forced) : model.manager().getDevice().isGpu();
        long totalSteps = (long) stepsPerEpoch * params.epochs();
        if (params.maxSteps() > 0) {
            totalSteps = Math.min(totalSteps, params.maxSteps());
        }
        List<String> curve = new ArrayList<>();
        curve.add(adversarial ? "step,epoch,loss,mel_l1,stft,g_adv,d_loss" : "step,epoch,loss,mel_l1,stft");
        int startEpoch = 0;
        long step = 0;
        double firstLoss = Double.NaN;
        double previousSeconds = 0;
        if (resumed != null) {
            startEpoch = resumed.epoch;
            step = resumed.step;
            firstLoss = resumed.firstLoss;
            previousSeconds = resumed.trainSeconds;
            curve = new ArrayList<>(resumed.curve);
        }
        model.generator().getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
        model.speakers().getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
        var parameters = new ai.djl.util.PairList<String, ai.djl.nn.Parameter>();
        model.generator().getParameters().forEach(p -> parameters.add("generator." + p.getKey(), p.getValue()));
        model.speakers().getParameters().forEach(p -> parameters.add("speakers." + p.getKey(), p.getValue()));
        NDManager manager = model.manager();
        double lastLoss = Double.NaN;
        long started = System.nanoTime();
        long runStartStep = step;
        int skippedInARow = 0;
        int skipped = 0;
        int epochsDone = startEpoch;
        LossSpikeGuard guard = resumed != null
                ? new LossSpikeGuard(resumed.bestLoss, resumed.bestEpoch, resumed.learningRateScale, resumed.rollbacks)
                : new LossSpikeGuard();
        RollbackPoint rollbackTarget = null;
        MultiPeriodDiscriminator discriminator = adversarial ? new MultiPeriodDiscriminator(config.size()) : null;
        if (discriminator != null) {
            discriminator.initialize(manager);
            if (resumed != null && Files.exists(resumed.dir.resolve(DISCRIMINATOR))) {
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(resumed.dir.resolve(DISCRIMINATOR))))) {
                    discriminator.loadParameters(manager, in);
                } catch (ai.djl.MalformedModelException e) {
                    throw new IOException("checkpoint discriminator does not fit: " + e.getMessage(), e);
                }
            }
            discriminator.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            listener.log("train: multi-period discriminator on");
        }
        try (AdamW optimizer = new AdamW(parameters, manager);
             AdamW discriminatorOptimizer = discriminator == null ? null : new AdamW(discriminator.getParameters(), manager);
             SpectralLoss loss = new SpectralLoss(MelConfig.forRvc(config.sampleRate()), manager)) {
            if (resumed != null) {
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                        Files.newInputStream(resumed.dir.resolve(OPTIMIZER))))) {
                    optimizer.load(in);
                }
                if (discriminatorOptimizer != null && Files.exists(resumed.dir.resolve(DISCRIMINATOR_OPTIMIZER))) {
                    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                            Files.newInputStream(resumed.dir.resolve(DISCRIMINATOR_OPTIMIZER))))) {
                        discriminatorOptimizer.load(in);
                    }
                }
                listener.log("train: resumed from the checkpoint of epoch " + startEpoch + " (step " + step + ")");
                if (Double.isFinite(guard.best())) {
                    // the best epoch's weights stayed on the lost machine: a spike goes back to the checkpoint,
                    // whose loss was within the guard's bound of the best (or it would have been rolled back)
                    rollbackTarget = RollbackPoint.take(startEpoch, optimizer, discriminatorOptimizer);
                }
                listener.progress(new Progress("train", startEpoch, params.epochs(), step, totalSteps,
                        lastLossOf(curve), 0, -1));
            }
            long lastReport = System.nanoTime();
            outer:
            for (int epoch = startEpoch + 1; epoch <= params.epochs(); epoch++) {
                Random random = new Random(params.seed() * 1_000_003L + epoch);
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < train.size(); i++) {
                    order.add(i);
                }
                Collections.shuffle(order, random);
                float learningRate = (float) (params.learningRate() * Math.pow(LR_DECAY, epoch - 1) * guard.learningRateScale());
                double epochLoss = 0;
                double epochReconstruction = 0;
                int epochSteps = 0;
                for (int b = 0; b < stepsPerEpoch; b++) {
                    if (step >= totalSteps) {
                        break outer;
                    }
                    checkCancelled(request, listener);
                    float[] content = new float[batch * segment * dim];
                    int[] pitch = new int[batch * segment];
                    float[] source = new float[batch * channels * segment * hop];
                    float[] target = new float[batch * segment * hop];
                    int[] speaker = new int[batch];
                    for (int i = 0; i < batch; i++) {
                        TrainingChunk c = train.get(order.get((b * batch + i) % order.size()));
                        int start = c.frames() > segment ? random.nextInt(c.frames() - segment + 1) : 0;
                        int frames = Math.min(segment, c.frames() - start);
                        for (int t = 0; t < frames; t++) {
                            System.arraycopy(c.content()[start + t], 0, content, (i * segment + t) * dim, dim);
                        }
                        int[] coarse = F0.coarse(Arrays.copyOfRange(c.f0(), start, start + segment));
                        System.arraycopy(coarse, 0, pitch, i * segment, segment);
                        float[][] s = SineSource.render(c.f0(), start, segment, hop, config.sampleRate(), config.harmonics(), random);
                        for (int h = 0; h < channels; h++) {
                            System.arraycopy(s[h], 0, source, (i * channels + h) * segment * hop, segment * hop);
                        }
                        System.arraycopy(c.audio(), start * hop, target, i * segment * hop, frames * hop);
                        speaker[i] = c.speaker();
                    }
                    double[] values;
                    try (NDManager scope = manager.newSubManager()) {
                        ParameterStore store = new ParameterStore(scope, false);
                        NDArray real = scope.create(target, new Shape(batch, (long) segment * hop));
                        NDArray predicted;
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDArray speakerVectors = model.speakers().lookup(store, scope.create(speaker), true);
                            predicted = model.generator().generate(store,
                                    scope.create(content, new Shape(batch, segment, dim)),
                                    scope.create(pitch, new Shape(batch, segment)),
                                    scope.create(source, new Shape(batch, channels, (long) segment * hop)),
                                    speakerVectors, true);
                            NDArray[] terms = loss.total(predicted, real);
                            NDArray total = terms[0];
                            double adv = 0;
                            if (discriminator != null) {
                                NDArray generatorAdv = discriminator.generatorLoss(discriminator.apply(store, real, true),
                                        discriminator.apply(store, predicted, true));
                                total = total.add(generatorAdv);
                                adv = generatorAdv.getFloat();
                            }
                            collector.backward(total);
                            // [5]: the reconstruction loss on its own, what the spike guard watches (total minus
                            // adversarial loses it to rounding once the adversarial term explodes)
                            values = new double[]{total.getFloat(), terms[1].getFloat(), terms[2].getFloat(), adv, 0,
                                    terms[0].getFloat()};
                        }
                        // a non-finite loss or gradient skips the step, as RVC's GradScaler does
                        boolean applied = Double.isFinite(values[0]) && optimizer.step(learningRate);
                        if (!applied) {
                            optimizer.zeroGradients();
                            skipped++;
                            if (++skippedInARow >= MAX_SKIPPED_STEPS_IN_A_ROW) {
                                throw new TrainingDivergedException("training diverged: " + skippedInARow
                                        + " steps in a row had a non-finite loss or gradients (at step " + (step + 1)
                                        + "); lower learningRate or change seed");
                            }
                        } else {
                            skippedInARow = 0;
                        }
                        if (discriminator != null) {
                            discriminatorOptimizer.zeroGradients(); // what the generator's loss left on D is not D's update
                            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                                NDArray d = discriminator.discriminatorLoss(discriminator.apply(store, real, true),
                                        discriminator.apply(store, predicted.stopGradient(), true));
                                collector.backward(d);
                                values[4] = d.getFloat();
                            }
                            if (Double.isFinite(values[4])) {
                                discriminatorOptimizer.step(learningRate);
                            } else {
                                discriminatorOptimizer.zeroGradients();
                            }
                        }
                    }
                    step++;
                    if (Double.isFinite(values[0])) {
                        lastLoss = values[0];
                        if (Double.isNaN(firstLoss)) {
                            firstLoss = lastLoss;
                        }
                        epochLoss += lastLoss;
                        epochReconstruction += values[5];
                        epochSteps++;
                    }
                    curve.add(step + "," + epoch + "," + (float) values[0] + "," + (float) values[1] + "," + (float) values[2]
                            + (discriminator != null ? "," + (float) values[3] + "," + (float) values[4] : ""));
                    long now = System.nanoTime();
                    if (now - lastReport >= PROGRESS_INTERVAL_NANOS && b < stepsPerEpoch - 1) {
                        lastReport = now;
                        listener.progress(trainProgress(epoch - 1, params.epochs(), step, totalSteps, lastLoss,
                                step - runStartStep, batch, started, now));
                    }
                }
                epochsDone = epoch;
                long now = System.nanoTime();
                lastReport = now;
                double meanLoss = epochSteps == 0 ? Double.NaN : epochLoss / epochSteps;
                listener.progress(trainProgress(epoch, params.epochs(), step, totalSteps, meanLoss,
                        step - runStartStep, batch, started, now));
                listener.log(String.format("epoch %d/%d step %d loss %.4f lr %.3g", epoch, params.epochs(), step, meanLoss, learningRate));
                // before the checkpoint, so that a checkpoint never holds the weights of a spike
                double meanReconstruction = epochSteps == 0 ? Double.NaN : epochReconstruction / epochSteps;
                switch (guard.afterEpoch(epoch, meanReconstruction)) {
                    case NEW_BEST -> {
                        if (rollbackTarget != null) {
                            rollbackTarget.close();
                        }
                        rollbackTarget = RollbackPoint.take(epoch, optimizer, discriminatorOptimizer);
                    }
                    case ROLL_BACK -> {
                        if (rollbackTarget == null) {
                            throw new IllegalStateException("a rollback before any best epoch");
                        }
                        rollbackTarget.restore(optimizer, discriminatorOptimizer);
                        listener.log(String.format("epoch %d: reconstruction loss %.4f is over %.1fx the best (%.4f, epoch %d): "
                                        + "back to epoch %d's weights, learning rate x%.3g from now on", epoch, meanReconstruction,
                                LossSpikeGuard.SPIKE_FACTOR, guard.best(), guard.bestEpoch(), rollbackTarget.epoch(),
                                guard.learningRateScale()));
                    }
                    case KEEP -> {
                    }
                }
                if (params.checkpointEvery() > 0 && epoch % params.checkpointEvery() == 0) {
                    Path zip = writeCheckpoint(request, model, optimizer, discriminator, discriminatorOptimizer, epoch, step,
                            firstLoss, previousSeconds + (now - started) / 1e9, curve, guard);
                    listener.checkpoint(zip, epoch);
                    Files.deleteIfExists(zip);
                }
            }
        }
        model.generator().getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(false));
        model.speakers().getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(false));
        metrics.put("first_loss", firstLoss);
        metrics.put("final_loss", Double.isNaN(lastLoss) ? lastLossOf(curve) : lastLoss);
        metrics.put("epochs", (double) epochsDone);
        metrics.put("steps", (double) step);
        metrics.put("train_seconds", previousSeconds + (System.nanoTime() - started) / 1e9);
        metrics.put("discriminator", discriminator != null ? 1.0 : 0.0);
        metrics.put("skipped_steps", (double) skipped);
        metrics.put("rollbacks", (double) guard.rollbacks());
        return curve;
    }

    private static Progress trainProgress(int epoch, int epochs, long step, long steps, double loss, long runSteps, int batch,
                                          long started, long now) {
        double seconds = (now - started) / 1e9;
        double perStep = seconds / Math.max(1, runSteps);
        return new Progress("train", epoch, epochs, step, steps, loss, runSteps * batch / Math.max(seconds, 1e-9),
                (long) Math.ceil((steps - step) * perStep));
    }

    private static Double lastLossOf(List<String> curve) {
        if (curve.size() < 2) {
            return null;
        }
        String[] last = curve.get(curve.size() - 1).split(",");
        return Double.parseDouble(last[2]);
    }

    /**
     * What a loss spike goes back to: the generator's (and, when it trains, the discriminator's)
     * weights and AdamW state at one epoch. The copies belong to the optimisers' managers, so they
     * are freed with them even if never closed here.
     */
    private record RollbackPoint(int epoch, AdamW.Snapshot generator, AdamW.Snapshot discriminator) implements AutoCloseable {
        static RollbackPoint take(int epoch, AdamW generator, AdamW discriminator) {
            return new RollbackPoint(epoch, generator.snapshot(), discriminator == null ? null : discriminator.snapshot());
        }

        void restore(AdamW generatorOptimizer, AdamW discriminatorOptimizer) {
            generatorOptimizer.restore(generator);
            if (discriminator != null) {
                discriminatorOptimizer.restore(discriminator);
            }
        }

        @Override
        public void close() {
            generator.close();
            if (discriminator != null) {
                discriminator.close();
            }
        }
    }

    // ------------------------------------------------------------------ checkpoints

    private Path writeCheckpoint(TrainingRequest request, RvcModel model, AdamW optimizer, MultiPeriodDiscriminator discriminator,
                                 AdamW discriminatorOptimizer, int epoch, long step, double firstLoss, double trainSeconds,
                                 List<String> curve, LossSpikeGuard guard) throws IOException {
        Path dir = request.workDir().resolve("checkpoint-" + epoch);
        deleteTree(dir);
        model.writeFiles(dir);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(OPTIMIZER))))) {
            optimizer.save(out);
        }
        if (discriminator != null) {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(DISCRIMINATOR))))) {
                discriminator.saveParameters(out);
            }
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(DISCRIMINATOR_OPTIMIZER))))) {
                discriminatorOptimizer.save(out);
            }
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("jobId", request.jobId());
        state.put("epoch", epoch);
        state.put("step", step);
        state.put("firstLoss", firstLoss);
        state.put("trainSeconds", trainSeconds);
        if (Double.isFinite(guard.best())) {
            state.put("bestLoss", guard.best());
            state.put("bestEpoch", guard.bestEpoch());
        }
        state.put("learningRateScale", guard.learningRateScale());
        state.put("rollbacks", guard.rollbacks());
        Files.write(dir.resolve(STATE), Json.writeBytes(state));
        Files.writeString(dir.resolve(LOSS_CSV), String.join("\n", curve) + "\n", StandardCharsets.UTF_8);
        Path zip = RvcModel.zip(dir, request.workDir().resolve("checkpoint-" + epoch + ".zip"));
        deleteTree(dir);
        return zip;
    }

    private Resumed readCheckpoint(Path zip, Path work, Device device) throws IOException {
        Path dir = work.resolve("resume");
        deleteTree(dir);
        RvcModel.unzip(zip, dir);
        if (!Files.exists(dir.resolve(STATE)) || !Files.exists(dir.resolve(OPTIMIZER))) {
            throw new IOException(zip.getFileName() + " is not a checkpoint (no " + STATE + ")");
        }
        JsonNode state = Json.mapper().readTree(dir.resolve(STATE).toFile());
        List<String> curve = Files.exists(dir.resolve(LOSS_CSV))
                ? new ArrayList<>(Files.readAllLines(dir.resolve(LOSS_CSV)).stream().filter(l -> !l.isBlank()).toList())
                : new ArrayList<>(List.of("step,epoch,loss,mel_l1,stft"));
        RvcModel model = RvcModel.readFiles(dir, options, device);
        return new Resumed(model, dir, state.path("epoch").asInt(), state.path("step").asLong(),
                state.path("firstLoss").asDouble(Double.NaN), state.path("trainSeconds").asDouble(), curve,
                state.path("bestLoss").asDouble(Double.NaN), state.path("bestEpoch").asInt(0),
                state.path("learningRateScale").asDouble(1), state.path("rollbacks").asInt(0));
    }

    // ------------------------------------------------------------------ base-model evaluation

    /**
     * For parallel corpora: converts one speaker's held-out sentence into another speaker's voice
     * (content of the first, F0 moved by the median ratio of the two) and measures DTW-aligned MCD to
     * the second speaker's own recording, next to the MCD between the two recordings.
     */
    private static Map<String, Double> parallelConversion(RvcModel model, List<Source> sources) {
        Map<String, List<Source>> bySentence = new TreeMap<>();
        sources.forEach(s -> bySentence.computeIfAbsent(s.sentence(), k -> new ArrayList<>()).add(s));
        int rate = model.config().sampleRate();
        YinPitchEstimator yin = io.cantor.rvc.pipeline.PitchTracking.estimator();
        Synthesizer synthesizer = model.synthesizer();
        double converted = 0;
        double original = 0;
        int pairs = 0;
        for (List<Source> group : bySentence.values()) {
            if (group.size() < 2 || pairs >= 4) {
                continue;
            }
            Source from = group.get(0);
            Source to = group.get(group.size() - 1);
            float[] from16k = to16kHighPassed(from.clip());
            float[] f0From = yin.estimate(from16k);
            float[] f0To = yin.estimate(to16kHighPassed(to.clip()));
            double semitones = 12 * Math.log(median(f0To) / median(f0From)) / Math.log(2);
            if (!Double.isFinite(semitones)) {
                continue;
            }
            float[] f0 = F0.shift(f0From, semitones);
            float[][] content = model.encoder().encode100Hz(from16k, f0.length);
            float[] out = synthesizer.synthesize(content, f0, model.speakerNames().indexOf(to.speaker()), 7);
            float[] target = atRateHighPassed(to.clip(), rate);
            converted += MelCepstralDistortion.compare(target, out, rate).mcdDb();
            original += MelCepstralDistortion.compare(target, atRateHighPassed(from.clip(), rate), rate).mcdDb();
            pairs++;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (pairs > 0) {
            metrics.put("parallel_mcd_db", converted / pairs);
            metrics.put("parallel_source_mcd_db", original / pairs);
        }
        return metrics;
    }

    static double median(float[] f0) {
        float[] voiced = new float[f0.length];
        int n = 0;
        for (float v : f0) {
            if (v > 0) {
                voiced[n++] = v;
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        Arrays.sort(voiced, 0, n);
        return voiced[n / 2];
    }

    // ------------------------------------------------------------------ helpers

    /** {@code cpu} or {@code gpu:N} as a DJL device. */
    public static Device deviceOf(String device) {
        if (device != null && device.startsWith("gpu:")) {
            return Device.gpu(Integer.parseInt(device.substring(4)));
        }
        return Device.cpu();
    }

    private static void checkCancelled(TrainingRequest request, TrainingListener listener) throws TrainingCancelledException {
        if (listener.isCancelled()) {
            throw new TrainingCancelledException(request.jobId());
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
