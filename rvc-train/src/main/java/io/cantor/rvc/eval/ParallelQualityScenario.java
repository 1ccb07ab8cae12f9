package io.cantor.rvc.eval;

import io.cantor.model.Progress;
import io.cantor.model.TrainingParams;
import io.cantor.rvc.RvcOptions;
import io.cantor.rvc.RvcTrainer;
import io.cantor.rvc.TrainingListener;
import io.cantor.rvc.TrainingRequest;
import io.cantor.rvc.TrainingResult;
import io.cantor.rvc.audio.AudioClip;
import io.cantor.rvc.audio.AudioDecoder;
import io.cantor.rvc.convert.ConversionRequest;
import io.cantor.rvc.convert.ConversionResult;
import io.cantor.rvc.convert.VoiceConverter;
import io.cantor.rvc.dsp.Resampler;
import io.cantor.rvc.f0.F0;
import io.cantor.rvc.f0.YinPitchEstimator;
import io.cantor.rvc.pipeline.PitchTracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The conversion quality scenario on parallel synthetic speech (espeak-ng must be installed): a base
 * model (content encoder + generator prior) is trained on eight espeak-ng voices, a voice model for
 * speaker B is fine-tuned from it, and speaker A (in neither training set) is converted into B on
 * sentences B never trained on. Measured against B's own renditions of those sentences: DTW-aligned
 * MCD at 16 kHz, and the converted F0 against A's F0 moved by the requested transpose (rounded
 * semitone ratio of the two speakers' median F0).
 *
 * <p>{@code RvcQualityTest} runs it at {@code tiny} with {@link Plan#of}'s defaults and asserts the
 * bar ({@link #BAR_MAX_MCD_RATIO}, {@link #BAR_MAX_F0_RMSE_HZ}); the benchmark suite runs it at
 * {@code small}. Training is seeded ({@link Plan#seed()}), so a run is repeatable on one machine.
 */
public final class ParallelQualityScenario {
    /** The source speaker (espeak-ng voice:pitch): in neither training set. */
    public static final String SPEAKER_A = "en-us+m7:40";
    /** The target speaker: the voice model is fine-tuned on it. */
    public static final String SPEAKER_B = "en-us+f4:70";
    public static final List<String> BASE_VOICES = List.of("en+m1:40", "en+m2:50", "en+m4:45", "en-us+f2:60", "en+f1:55",
            "en+f3:60", "en+f5:50", "en-us+m3:45");
    /** Issue 4's bar: MCD(converted, B) at least 15 % below MCD(A, B). */
    public static final double BAR_MAX_MCD_RATIO = 0.85;
    /** Issue 4's bar: converted F0 within 20 Hz RMSE of A's F0 moved by the transpose. */
    public static final double BAR_MAX_F0_RMSE_HZ = 20;

    /** Harvard sentences: the voice trains on the first ones, A and B are compared on the ones after. */
    public static final List<String> SENTENCES = List.of(
            "The birch canoe slid on the smooth planks.", "Glue the sheet to the dark blue background.",
            "It's easy to tell the depth of a well.", "These days a chicken leg is a rare dish.",
            "Rice is often served in round bowls.", "The juice of lemons makes fine punch.",
            "The box was thrown beside the parked truck.", "The hogs were fed chopped corn and garbage.",
            "Four hours of steady work faced us.", "A large size in stockings is hard to sell.",
            "The boy was there when the sun rose.", "A rod is used to catch pink salmon.",
            "The source of the huge river is the clear spring.", "Kick the ball straight and follow through.",
            "Help the woman get back to her feet.", "A pot of tea helps to pass the evening.",
            "Smoky fires lack flame and heat.", "The soft cushion broke the man's fall.",
            "The salt breeze came across from the sea.", "The girl at the booth sold fifty bonds.",
            "The small pup gnawed a hole in the sock.", "The fish twisted and turned on the bent hook.",
            "Press the pants and sew a button on the vest.", "The swan dive was far short of perfect.");

    /**
     * What to train and compare. The base job trains on sentences [0, baseSentences) of every base
     * voice; the voice on B's [0, voiceSentences); A and B are compared on
     * [voiceSentences, voiceSentences + testSentences).
     *
     * @param baseGeneratorSteps generator steps of the base job (its content encoder trains for the
     *                           size's fixed number of steps first)
     * @param voiceEpochs        epochs of the voice job
     */
    public record Plan(String size, List<String> baseVoices, int baseSentences, int voiceSentences, int testSentences,
                       int baseGeneratorSteps, int voiceEpochs, int sampleRate, long seed) {
        public Plan {
            if (!TrainingParams.MODEL_SIZES.contains(size)) {
                throw new IllegalArgumentException("model size must be one of " + TrainingParams.MODEL_SIZES);
            }
            if (baseVoices.size() < 2 || baseSentences < 1 || baseSentences > SENTENCES.size() || voiceSentences < 1
                    || testSentences < 1 || voiceSentences + testSentences > SENTENCES.size()) {
                throw new IllegalArgumentException("needs two or more base voices and at most " + SENTENCES.size()
                        + " sentences for the voice and the test together");
            }
        }

        /** RvcQualityTest's configuration at any size: 8 base voices x 20 sentences, 40 base generator steps; 20 voice sentences, 100 epochs; 4 test sentences; 32 kHz; seed 5. */
        public static Plan of(String size) {
            return new Plan(size, BASE_VOICES, 20, 20, 4, 40, 100, 32000, 5L);
        }

        public Plan withSteps(int baseGeneratorSteps, int voiceEpochs) {
            return new Plan(size, baseVoices, baseSentences, voiceSentences, testSentences, baseGeneratorSteps, voiceEpochs,
                    sampleRate, seed);
        }

        public Plan withCorpus(List<String> baseVoices, int baseSentences, int voiceSentences, int testSentences) {
            return new Plan(size, baseVoices, baseSentences, voiceSentences, testSentences, baseGeneratorSteps, voiceEpochs,
                    sampleRate, seed);
        }
    }

    /** One test sentence: the transpose used, and MCD of A and of the conversion against B. */
    public record Sentence(int index, double transposeSemitones, double mcdSourceDb, double mcdConvertedDb) {
    }

    /**
     * The figures: mean MCD(A, B) and MCD(converted, B) over the test sentences, pitch accuracy over
     * all their frames, the base and voice jobs' metrics, and wall times (seconds) of the stages.
     */
    public record Result(Plan plan, double mcdSourceDb, double mcdConvertedDb, F0Metrics.Result pitch, List<Sentence> sentences,
                         Map<String, Double> baseMetrics, Map<String, Double> voiceMetrics, double corpusSeconds,
                         double baseSeconds, double voiceSeconds, double evaluateSeconds) {
        /** MCD(converted, B) / MCD(A, B): the bar is {@link #BAR_MAX_MCD_RATIO} or less. */
        public double mcdRatio() {
            return mcdConvertedDb / mcdSourceDb;
        }

        /** How much lower MCD(converted, B) is than MCD(A, B), in %. */
        public double mcdReductionPercent() {
            return 100 * (1 - mcdRatio());
        }

        public double wallSeconds() {
            return corpusSeconds + baseSeconds + voiceSeconds + evaluateSeconds;
        }

        /** Whether both of issue 4's bars are met. */
        public boolean meetsBar() {
            return mcdRatio() <= BAR_MAX_MCD_RATIO && pitch.rmseHz() < BAR_MAX_F0_RMSE_HZ;
        }
    }

    private ParallelQualityScenario() {
    }

    public static boolean espeakAvailable() {
        try {
            return new ProcessBuilder("espeak-ng", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Renders the corpus under {@code dir}, trains the base and the voice model (CPU, built-in
     * content encoder), converts and measures. {@code log} gets the trainers' lines and one line
     * per test sentence. Blocking; takes minutes (tiny) to tens of minutes (small) on two cores.
     */
    public static Result run(Plan plan, Path dir, Consumer<String> log) throws Exception {
        long t0 = System.nanoTime();
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Path targetDir = Files.createDirectories(dir.resolve("target"));
        Path sourceDir = Files.createDirectories(dir.resolve("source"));
        List<Path> baseFiles = new ArrayList<>();
        List<Path> targetTraining;
        List<Path> targetTest;
        List<Path> sourceTest;
        int testFrom = plan.voiceSentences();
        int testTo = testFrom + plan.testSentences();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (String voice : plan.baseVoices()) {
                baseFiles.addAll(render(corpus, voice, 0, plan.baseSentences(), pool));
            }
            targetTraining = render(targetDir, SPEAKER_B, 0, plan.voiceSentences(), pool);
            targetTest = render(targetDir, SPEAKER_B, testFrom, testTo, pool);
            sourceTest = render(sourceDir, SPEAKER_A, testFrom, testTo, pool);
        } finally {
            pool.shutdown();
        }
        log.accept("corpus: " + baseFiles.size() + " base files, " + targetTraining.size() + " target files");
        long t1 = System.nanoTime();

        TrainingListener logger = new TrainingListener() {
            private long lastProgress = System.nanoTime();

            @Override
            public void log(String line) {
                log.accept(line);
            }

            /** A line a minute at most, so a long run shows where it is. */
            @Override
            public void progress(Progress p) {
                if (p.steps() > 0 && System.nanoTime() - lastProgress > 60_000_000_000L) {
                    lastProgress = System.nanoTime();
                    log.accept(String.format("%s: step %d/%d%s", p.stage(), p.step(), p.steps(),
                            p.etaSeconds() >= 0 ? ", about " + p.etaSeconds() + " s left" : ""));
                }
            }
        };
        TrainingParams baseParams = TrainingParams.fromJson(10, plan.baseGeneratorSteps(), 8, plan.sampleRate(), plan.size(),
                1e-3, 0, 0.1, plan.seed(), null, "base");
        TrainingResult base = new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("base", baseFiles, baseParams, "cpu", dir.resolve("base"), null, null), logger);
        log.accept("base metrics " + base.metrics());
        long t2 = System.nanoTime();

        TrainingParams voiceParams = TrainingParams.fromJson(plan.voiceEpochs(), 0, 8, plan.sampleRate(), plan.size(), 2e-3,
                0, 0.1, plan.seed(), "base", "voice");
        TrainingResult voice = new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("voice", targetTraining, voiceParams, "cpu", dir.resolve("voice"), null, base.artifact()), logger);
        log.accept("voice metrics " + voice.metrics());
        long t3 = System.nanoTime();

        YinPitchEstimator yin = PitchTracking.estimator();
        VoiceConverter converter = new VoiceConverter(RvcOptions.BUILT_IN);
        double sourceMcd = 0;
        double convertedMcd = 0;
        List<float[]> expectedF0 = new ArrayList<>();
        List<float[]> measuredF0 = new ArrayList<>();
        List<Sentence> sentences = new ArrayList<>();
        int n = sourceTest.size();
        for (int i = 0; i < n; i++) {
            float[] a16 = to16k(AudioDecoder.decode(sourceTest.get(i)));
            float[] b16 = to16k(AudioDecoder.decode(targetTest.get(i)));
            float[] f0a = yin.estimate(a16);
            double semitones = Math.round(12 * Math.log(median(yin.estimate(b16)) / median(f0a)) / Math.log(2));
            ConversionResult converted = converter.convert(new ConversionRequest(voice.artifact(), sourceTest.get(i), semitones,
                    ConversionRequest.DEFAULT_INDEX_RATE, "cpu", dir.resolve("convert")), TrainingListener.NONE);
            float[] c16 = to16k(AudioDecoder.decode(converted.wav()));
            double before = MelCepstralDistortion.compare(b16, a16, 16000).mcdDb();
            double after = MelCepstralDistortion.compare(b16, c16, 16000).mcdDb();
            sourceMcd += before / n;
            convertedMcd += after / n;
            // frame by frame within each sentence (same start, the shorter length), then all sentences together
            float[] expected = F0.shift(f0a, semitones);
            float[] measured = yin.estimate(c16);
            int frames = Math.min(expected.length, measured.length);
            if (Math.abs(expected.length - measured.length) > 2) {
                log.accept("sentence " + i + ": F0 tracks of A and of the conversion differ in length (" + expected.length
                        + " vs " + measured.length + " frames); compared over " + frames);
            }
            expectedF0.add(Arrays.copyOf(expected, frames));
            measuredF0.add(Arrays.copyOf(measured, frames));
            sentences.add(new Sentence(testFrom + i, semitones, before, after));
            log.accept(String.format("sentence %d: transpose %+.0f, MCD(A,B) %.2f dB, MCD(converted,B) %.2f dB", i, semitones,
                    before, after));
        }
        F0Metrics.Result pitch = F0Metrics.compare(concat(expectedF0), concat(measuredF0));
        long t4 = System.nanoTime();
        Result result = new Result(plan, sourceMcd, convertedMcd, pitch, List.copyOf(sentences), base.metrics(), voice.metrics(),
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9);
        log.accept(String.format("MCD(A,B) %.2f dB, MCD(converted,B) %.2f dB (ratio %.3f); F0 RMSE %.1f Hz, corr %.3f, V/UV error %.3f",
                sourceMcd, convertedMcd, result.mcdRatio(), pitch.rmseHz(), pitch.pearson(), pitch.vuvErrorRate()));
        return result;
    }

    static String speaker(String voice) {
        return voice.substring(0, voice.indexOf(':')).replace('+', '_');
    }

    /** Renders {@code voice} ("name:pitch") saying sentences [from, to) as {@code <speaker>__sNN.wav}. */
    static List<Path> render(Path out, String voice, int from, int to, ExecutorService pool) throws Exception {
        String name = voice.substring(0, voice.indexOf(':'));
        String pitch = voice.substring(voice.indexOf(':') + 1);
        List<Future<Path>> jobs = new ArrayList<>();
        for (int s = from; s < to; s++) {
            Path file = out.resolve(String.format("%s__s%02d.wav", speaker(voice), s + 1));
            String text = SENTENCES.get(s);
            jobs.add(pool.submit(() -> {
                Process p = new ProcessBuilder("espeak-ng", "-v", name, "-p", pitch, "-s", "150", "-w", file.toString(), text)
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) {
                    throw new IOException("espeak-ng failed for " + file);
                }
                return file;
            }));
        }
        List<Path> files = new ArrayList<>();
        for (Future<Path> f : jobs) {
            files.add(f.get());
        }
        return files;
    }

    static float[] to16k(AudioClip clip) {
        return clip.sampleRate() == 16000 ? clip.samples() : new Resampler(clip.sampleRate(), 16000).resample(clip.samples());
    }

    static double median(float[] f0) {
        float[] voiced = new float[f0.length];
        int n = 0;
        for (float v : f0) {
            if (v > 0) {
                voiced[n++] = v;
            }
        }
        Arrays.sort(voiced, 0, n);
        return voiced[n / 2];
    }

    static float[] concat(List<float[]> tracks) {
        int n = tracks.stream().mapToInt(t -> t.length).sum();
        float[] out = new float[n];
        int offset = 0;
        for (float[] t : tracks) {
            System.arraycopy(t, 0, out, offset, t.length);
            offset += t.length;
        }
        return out;
    }
}
