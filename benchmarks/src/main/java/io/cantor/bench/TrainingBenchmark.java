package io.cantor.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.cantor.rvc.dsp.MelConfig;
import io.cantor.rvc.eval.F0Metrics;
import io.cantor.rvc.eval.ParallelQualityScenario;
import io.cantor.rvc.f0.F0;
import io.cantor.rvc.model.AdamW;
import io.cantor.rvc.model.ModelConfig;
import io.cantor.rvc.model.NsfGenerator;
import io.cantor.rvc.model.SineSource;
import io.cantor.rvc.model.SpectralLoss;
import io.cantor.rvc.model.Table;

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
 *     the quality scenario of RvcQualityTest ({@link ParallelQualityScenario}: espeak-ng parallel corpus, base job, voice job,
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
        System.out.println("machine: " + Machine.describe());
        for (String size : args.length > 0 ? args : new String[]{"tiny", "small"}) {
            System.out.println(stepTime(size, stepsPerRun(size), RUNS, 3).line());
        }
    }

    /** Steps per timed run: enough for a few seconds of work at each size. */
    static int stepsPerRun(String size) {
        return size.equals("tiny") ? 10 : 4;
    }

    /**
     * One size's figures: weights, segment, audio per step, and the mean step time of each run.
     */
    record StepResult(String size, long parameters, int batch, int frames, double audioSecondsPerStep, int stepsPerRun,
                      List<Double> stepSeconds) {
        List<Double> samplesPerSecond() {
            return stepSeconds.stream().map(t -> batch / t).toList();
        }

        List<Double> audioSecondsPerSecond() {
            return stepSeconds.stream().map(t -> audioSecondsPerStep / t).toList();
        }

        String line() {
            return String.format("%-5s %,d weights, %d Hz, batch %d x %d frames (%.2f s audio): step %s s, %s samples/s, %s audio-s/s",
                    size, parameters, RATE, batch, frames, audioSecondsPerStep, Stats.summary(stepSeconds, "%.3f"),
                    Stats.summary(samplesPerSecond(), "%.1f"), Stats.summary(audioSecondsPerSecond(), "%.2f"));
        }
    }

    /** {@code runs} timed runs of {@code steps} training steps each, after {@code warmup} untimed steps. */
    static StepResult stepTime(String size, int steps, int runs, int warmup) {
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
                for (int run = -1; run < runs; run++) {
                    int n = run < 0 ? warmup : steps; // run -1 warms up (oneDNN kernels, allocator)
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
        return new StepResult(size, parameters, BATCH, c.segmentFrames(), BATCH * c.segmentFrames() / 100.0, steps, stepSeconds);
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

    /** {@link ParallelQualityScenario} at {@code size}, printing the figures (needs espeak-ng). */
    static void quality(String size, int voiceEpochs, int baseSteps) throws Exception {
        long started = System.nanoTime();
        Path dir = Files.createTempDirectory("rvc-quality");
        ParallelQualityScenario.Result r = ParallelQualityScenario.run(
                ParallelQualityScenario.Plan.of(size).withSteps(baseSteps, voiceEpochs), dir,
                line -> System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - started) / 1e9, line));
        F0Metrics.Result pitch = r.pitch();
        System.out.printf("quality %s: voice %d epochs (%.0f steps, %.0f s), base %d generator steps%n", size, voiceEpochs,
                r.voiceMetrics().get("steps"), r.voiceMetrics().get("train_seconds"), baseSteps);
        System.out.printf("MCD(A,B) %.2f dB, MCD(converted,B) %.2f dB: %.1f %% lower; F0 RMSE %.1f Hz, corr %.3f, V/UV error %.3f; %.0f s in all%n",
                r.mcdSourceDb(), r.mcdConvertedDb(), r.mcdReductionPercent(), pitch.rmseHz(), pitch.pearson(), pitch.vuvErrorRate(),
                (System.nanoTime() - started) / 1e9);
        System.out.println("voice metrics " + r.voiceMetrics());
    }
}
