package io.cantor.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.cantor.model.TrainingParams;
import io.cantor.rvc.RvcOptions;
import io.cantor.rvc.RvcTrainer;
import io.cantor.rvc.TrainingListener;
import io.cantor.rvc.TrainingRequest;
import io.cantor.rvc.TrainingResult;
import io.cantor.rvc.audio.AudioClip;
import io.cantor.rvc.audio.AudioDecoder;
import io.cantor.rvc.convert.ConversionRequest;
import io.cantor.rvc.convert.VoiceConverter;
import io.cantor.rvc.dsp.MelConfig;
import io.cantor.rvc.dsp.Resampler;
import io.cantor.rvc.eval.F0Metrics;
import io.cantor.rvc.eval.MelCepstralDistortion;
import io.cantor.rvc.f0.F0;
import io.cantor.rvc.f0.YinPitchEstimator;
import io.cantor.rvc.model.AdamW;
import io.cantor.rvc.model.ModelConfig;
import io.cantor.rvc.model.NsfGenerator;
import io.cantor.rvc.model.SineSource;
import io.cantor.rvc.model.SpectralLoss;
import io.cantor.rvc.model.Table;
import io.cantor.rvc.pipeline.PitchTracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * RVC generator training speed, and the conversion quality bar measured at a chosen size.
 *
 * <pre>
 * java -cp benchmarks/target/cantor-benchmarks.jar io.cantor.bench.TrainingBenchmark
 *     step time and samples/s of one training step (generator forward, 45 x mel L1 + MR-STFT,
 *     backward, AdamW) at tiny and small, 40 kHz, batch 8, RVC segment; median of 3 runs (min..max)
 * java -cp ... io.cantor.bench.TrainingBenchmark quality [size] [voiceEpochs] [baseSteps]
 *     the quality scenario of RvcQualityTest (espeak-ng parallel corpus, base job, voice job,
 *     A-to-B conversion) at any size and length, printing MCD and F0 figures (needs espeak-ng)
 * </pre>
 */
public final class TrainingBenchmark {
    static final int RUNS = 3;
    static final int BATCH = 8;
    static final int RATE = 40000;

    private TrainingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        if (args.length > 0 && args[0].equals("quality")) {
            quality(args.length > 1 ? args[1] : "small", args.length > 2 ? Integer.parseInt(args[2]) : 100,
                    args.length > 3 ? Integer.parseInt(args[3]) : 40);
            return;
        }
        System.out.println("machine: " + Stats.machine());
        for (String size : args.length > 0 ? args : new String[]{"tiny", "small"}) {
            stepTime(size, size.equals("tiny") ? 10 : 4);
        }
    }

    static void stepTime(String size, int steps) {
        ModelConfig c = ModelConfig.of(size, RATE, 768);
        List<Double> stepSeconds = new ArrayList<>();
        long parameters;
        try (NDManager m = NDManager.newBaseManager()) {
            NsfGenerator generator = new NsfGenerator(c);
            generator.initialize(m);
            Table speakers = new Table(1, c.speakerDim());
            speakers.initialize(m);
            PairList<String, Parameter> all = new PairList<>();
            generator.getParameters().forEach(p -> all.add(p.getKey(), p.getValue()));
            speakers.getParameters().forEach(p -> all.add("speaker." + p.getKey(), p.getValue()));
            all.forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            parameters = all.stream().mapToLong(p -> p.getValue().getArray().size()).sum();
            Random random = new Random(1);
            try (AdamW optimizer = new AdamW(all, m); SpectralLoss loss = new SpectralLoss(MelConfig.forRvc(RATE), m)) {
                for (int run = -1; run < RUNS; run++) {
                    int n = run < 0 ? 3 : steps; // run -1 warms up (oneDNN kernels, allocator)
                    long start = System.nanoTime();
                    for (int s = 0; s < n; s++) {
                        step(m, c, generator, speakers, loss, optimizer, random);
                    }
                    if (run >= 0) {
                        stepSeconds.add((System.nanoTime() - start) / 1e9 / n);
                    }
                }
            }
        }
        double audioPerStep = BATCH * c.segmentFrames() / 100.0;
        List<Double> samplesPerSecond = stepSeconds.stream().map(t -> BATCH / t).toList();
        List<Double> audioPerSecond = stepSeconds.stream().map(t -> audioPerStep / t).toList();
        System.out.printf("%-5s %,d weights, %d Hz, batch %d x %d frames (%.2f s audio): step %s s, %s samples/s, %s audio-s/s%n",
                size, parameters, RATE, BATCH, c.segmentFrames(), audioPerStep, Stats.summary(stepSeconds, "%.3f"),
                Stats.summary(samplesPerSecond, "%.1f"), Stats.summary(audioPerSecond, "%.2f"));
    }

    static void step(NDManager m, ModelConfig c, NsfGenerator generator, Table speakers, SpectralLoss loss, AdamW optimizer,
                     Random random) {
        int frames = c.segmentFrames();
        int hop = c.hop();
        int channels = c.harmonics() + 1;
        float[] content = new float[BATCH * frames * c.contentDim()];
        for (int i = 0; i < content.length; i++) {
            content[i] = (float) random.nextGaussian();
        }
        float[] f0 = new float[frames];
        Arrays.fill(f0, 180f);
        int[] pitch = new int[BATCH * frames];
        float[] source = new float[BATCH * channels * frames * hop];
        float[] target = new float[BATCH * frames * hop];
        for (int b = 0; b < BATCH; b++) {
            System.arraycopy(F0.coarse(f0), 0, pitch, b * frames, frames);
            float[][] s = SineSource.render(f0, 0, frames, hop, c.sampleRate(), c.harmonics(), random);
            for (int h = 0; h < channels; h++) {
                System.arraycopy(s[h], 0, source, (b * channels + h) * frames * hop, frames * hop);
            }
            for (int i = 0; i < frames * hop; i++) {
                target[b * frames * hop + i] = (float) (0.2 * random.nextGaussian());
            }
        }
        try (NDManager scope = m.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = generator.generate(store, scope.create(content, new Shape(BATCH, frames, c.contentDim())),
                        scope.create(pitch, new Shape(BATCH, frames)),
                        scope.create(source, new Shape(BATCH, channels, (long) frames * hop)),
                        speakers.lookup(store, scope.create(new int[BATCH]), true), true);
                collector.backward(loss.total(y, scope.create(target, new Shape(BATCH, (long) frames * hop)))[0]);
            }
            optimizer.step(2e-4f);
        }
    }

    // ------------------------------------------------------------------ quality scenario

    static final String A = "en-us+m7:40";
    static final String B = "en-us+f4:70";
    static final List<String> BASE_VOICES = List.of("en+m1:40", "en+m2:50", "en+m4:45", "en-us+f2:60", "en+f1:55",
            "en+f3:60", "en+f5:50", "en-us+m3:45");
    static final String[] SENTENCES = {
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
            "Press the pants and sew a button on the vest.", "The swan dive was far short of perfect."};

    static void quality(String size, int voiceEpochs, int baseSteps) throws Exception {
        long started = System.nanoTime();
        Path dir = Files.createTempDirectory("rvc-quality");
        List<Path> base = new ArrayList<>();
        for (String v : BASE_VOICES) {
            base.addAll(render(dir.resolve("corpus"), v, 0, 20));
        }
        List<Path> target = render(dir.resolve("target"), B, 0, 20);
        List<Path> targetTest = render(dir.resolve("target"), B, 20, 24);
        List<Path> sourceTest = render(dir.resolve("source"), A, 20, 24);
        TrainingListener logger = new TrainingListener() {
            @Override
            public void log(String line) {
                System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - started) / 1e9, line);
            }
        };
        TrainingResult baseModel = new RvcTrainer(RvcOptions.BUILT_IN).train(new TrainingRequest("base", base,
                TrainingParams.fromJson(1000, baseSteps, 8, 32000, size, 1e-3, 0, 0.1, 5L, null, "base"), "cpu",
                dir.resolve("base"), null, null), logger);
        TrainingResult voice = new RvcTrainer(RvcOptions.BUILT_IN).train(new TrainingRequest("voice", target,
                TrainingParams.fromJson(voiceEpochs, 0, 8, 32000, size, 2e-3, 0, 0.1, 5L, "base", "voice"), "cpu",
                dir.resolve("voice"), null, baseModel.artifact()), logger);
        YinPitchEstimator yin = PitchTracking.estimator();
        double before = 0;
        double after = 0;
        List<Float> expected = new ArrayList<>();
        List<Float> measured = new ArrayList<>();
        for (int i = 0; i < sourceTest.size(); i++) {
            float[] a16 = to16k(AudioDecoder.decode(sourceTest.get(i)));
            float[] b16 = to16k(AudioDecoder.decode(targetTest.get(i)));
            float[] f0a = yin.estimate(a16);
            double semitones = Math.round(12 * Math.log(median(yin.estimate(b16)) / median(f0a)) / Math.log(2));
            Path wav = new VoiceConverter(RvcOptions.BUILT_IN).convert(new ConversionRequest(voice.artifact(), sourceTest.get(i),
                    semitones, ConversionRequest.DEFAULT_INDEX_RATE, "cpu", dir.resolve("convert")), null).wav();
            float[] c16 = to16k(AudioDecoder.decode(wav));
            before += MelCepstralDistortion.compare(b16, a16, 16000).mcdDb() / sourceTest.size();
            after += MelCepstralDistortion.compare(b16, c16, 16000).mcdDb() / sourceTest.size();
            for (float v : F0.shift(f0a, semitones)) {
                expected.add(v);
            }
            float[] c = yin.estimate(c16);
            for (int t = 0; t < f0a.length; t++) {
                measured.add(t < c.length ? c[t] : 0f);
            }
        }
        float[] e = new float[expected.size()];
        float[] mm = new float[measured.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = expected.get(i);
            mm[i] = measured.get(i);
        }
        F0Metrics.Result pitch = F0Metrics.compare(e, mm);
        System.out.printf("quality %s: voice %d epochs (%.0f steps, %.0f s), base %d generator steps%n", size, voiceEpochs,
                voice.metrics().get("steps"), voice.metrics().get("train_seconds"), baseSteps);
        System.out.printf("MCD(A,B) %.2f dB, MCD(converted,B) %.2f dB: %.1f %% lower; F0 RMSE %.1f Hz, corr %.3f, V/UV error %.3f; %.0f s in all%n",
                before, after, 100 * (1 - after / before), pitch.rmseHz(), pitch.pearson(), pitch.vuvErrorRate(),
                (System.nanoTime() - started) / 1e9);
        System.out.println("voice metrics " + voice.metrics());
    }

    static List<Path> render(Path out, String voice, int from, int to) throws IOException, InterruptedException {
        Files.createDirectories(out);
        String name = voice.substring(0, voice.indexOf(':'));
        String pitch = voice.substring(voice.indexOf(':') + 1);
        List<Path> files = new ArrayList<>();
        for (int s = from; s < to; s++) {
            Path file = out.resolve(String.format("%s__s%02d.wav", name.replace('+', '_'), s + 1));
            Process p = new ProcessBuilder("espeak-ng", "-v", name, "-p", pitch, "-s", "150", "-w", file.toString(), SENTENCES[s])
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IOException("espeak-ng failed (is it installed?)");
            }
            files.add(file);
        }
        return files;
    }

    static float[] to16k(AudioClip clip) {
        return clip.sampleRate() == 16000 ? clip.samples() : new Resampler(clip.sampleRate(), 16000).resample(clip.samples());
    }

    static double median(float[] f0) {
        float[] v = new float[f0.length];
        int n = 0;
        for (float x : f0) {
            if (x > 0) {
                v[n++] = x;
            }
        }
        Arrays.sort(v, 0, n);
        return v[n / 2];
    }
}
