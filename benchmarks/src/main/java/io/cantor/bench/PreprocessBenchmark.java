package io.cantor.bench;

import io.cantor.rvc.audio.AudioClip;
import io.cantor.rvc.content.ContentNet;
import io.cantor.rvc.content.LearnedContentEncoder;
import io.cantor.rvc.content.SpectralContentEncoder;
import io.cantor.rvc.dsp.Preprocessor;
import io.cantor.rvc.f0.YinPitchEstimator;
import io.cantor.rvc.pipeline.PitchTracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Throughput of the data stages a training job runs before the generator: RVC preprocess (resample
 * 44.1 kHz to 40 kHz and 16 kHz, high-pass, slicer, chunks, normalisation), F0 (YIN at 100 frames/s)
 * and content features (the weight-free spectral encoder and the learned encoder at tiny and small
 * width), in audio-seconds per wall-second; median of 3 runs (min..max).
 *
 * <pre>java -cp benchmarks/target/cantor-benchmarks.jar io.cantor.bench.PreprocessBenchmark [seconds]</pre>
 */
public final class PreprocessBenchmark {
    static final int RUNS = 3;

    private PreprocessBenchmark() {
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        System.out.println("machine: " + Machine.describe() + "; " + seconds + " s of 44.1 kHz speech-like audio");
        run(seconds, RUNS, r -> System.out.println(r.line()));
    }

    /** One stage: the audio it worked through per run, and its rate (audio-seconds per wall-second) in each run. */
    record StageResult(String stage, double audioSeconds, List<Double> rates) {
        String line() {
            return String.format("%-40s %s audio-s/s", stage, Stats.summary(rates, "%.1f"));
        }
    }

    /** Every stage on {@code seconds} of generated 44.1 kHz audio, {@code runs} times each; {@code each} sees each stage's figures. */
    static List<StageResult> run(int seconds, int runs, java.util.function.Consumer<StageResult> each) {
        List<StageResult> results = new ArrayList<>();
        java.util.function.Consumer<StageResult> add = r -> {
            results.add(r);
            each.accept(r);
        };
        AudioClip clip = new AudioClip(speechLike(44100, seconds), 44100);
        Preprocessor preprocessor = new Preprocessor(40000);
        List<Preprocessor.Chunk> chunks = preprocessor.process(clip);
        double chunkSeconds = chunks.stream().mapToDouble(c -> c.samples16k().length / 16000.0).sum();
        add.accept(measure("preprocess (40 kHz + 16 kHz chunks)", seconds, runs, () -> preprocessor.process(clip)));
        YinPitchEstimator yin = PitchTracking.estimator();
        add.accept(measure("f0 (YIN, 100 frames/s)", chunkSeconds, runs, () -> chunks.forEach(c -> yin.estimate(c.samples16k()))));
        SpectralContentEncoder spectral = new SpectralContentEncoder();
        add.accept(measure("features: spectral encoder", chunkSeconds, runs, () -> chunks.forEach(c -> spectral.encode(c.samples16k()))));
        for (String size : new String[]{"tiny", "small"}) {
            try (LearnedContentEncoder learned = new LearnedContentEncoder(ContentNet.Shape.forSize(size))) {
                learned.encode(chunks.get(0).samples16k()); // warm-up
                add.accept(measure("features: learned encoder " + size, chunkSeconds, runs,
                        () -> chunks.forEach(c -> learned.encode(c.samples16k()))));
            }
        }
        add.accept(measure(ALL_THREE, seconds, runs, () -> preprocessor.process(clip).forEach(c -> {
            yin.estimate(c.samples16k());
            spectral.encode(c.samples16k());
        })));
        return results;
    }

    /** The stage that is a training job's whole data preparation with the built-in spectral features. */
    static final String ALL_THREE = "all three (spectral features)";

    static StageResult measure(String stage, double audioSeconds, int runs, Runnable work) {
        List<Double> rates = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            work.run();
            rates.add(audioSeconds / ((System.nanoTime() - start) / 1e9));
        }
        return new StageResult(stage, audioSeconds, rates);
    }

    /** Harmonic vowels with moving formants, pauses every few seconds (so the slicer has work). */
    static float[] speechLike(int rate, int seconds) {
        float[] out = new float[rate * seconds];
        Random random = new Random(1);
        double phase = 0;
        for (int i = 0; i < out.length; i++) {
            double t = (double) i / rate;
            if (t % 5.0 > 4.4) {
                out[i] = (float) (0.0005 * random.nextGaussian());
                continue;
            }
            double pitch = 140 * (1 + 0.1 * Math.sin(2 * Math.PI * 0.7 * t));
            phase += 2 * Math.PI * pitch / rate;
            double formant = 600 + 400 * Math.sin(2 * Math.PI * 1.3 * t);
            double s = 0;
            for (int h = 1; h * pitch < 6000; h++) {
                s += Math.exp(-Math.pow((h * pitch - formant) / 300, 2)) * Math.sin(h * phase) + 0.01 * Math.sin(h * phase) / h;
            }
            out[i] = (float) (0.3 * s);
        }
        return out;
    }
}
