package io.cantor.rvc;

import io.cantor.model.TrainingParams;
import io.cantor.rvc.audio.AudioClip;
import io.cantor.rvc.audio.AudioDecoder;
import io.cantor.rvc.convert.ConversionRequest;
import io.cantor.rvc.convert.ConversionResult;
import io.cantor.rvc.convert.VoiceConverter;
import io.cantor.rvc.dsp.Resampler;
import io.cantor.rvc.eval.F0Metrics;
import io.cantor.rvc.eval.MelCepstralDistortion;
import io.cantor.rvc.f0.F0;
import io.cantor.rvc.f0.YinPitchEstimator;
import io.cantor.rvc.pipeline.PitchTracking;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on parallel synthetic speech: a tiny base model (content encoder + generator prior) is
 * trained on eight espeak-ng voices, a voice model for speaker B is fine-tuned from it, and speaker A
 * (in neither training set) is converted into B on sentences B never trained on. Measured against
 * B's own renditions of those sentences: DTW-aligned MCD at 16 kHz, and the converted F0 against
 * A's F0 moved by the requested transpose.
 */
@Tag("quality")
class RvcQualityTest {
    static final String A = "en-us+m7:40";
    static final String B = "en-us+f4:70";
    static final List<String> BASE_VOICES = List.of("en+m1:40", "en+m2:50", "en+m4:45", "en-us+f2:60", "en+f1:55",
            "en+f3:60", "en+f5:50", "en-us+m3:45");
    static final int BASE_SENTENCES = 20;
    static final int VOICE_SENTENCES = 20;
    static final int TEST_SENTENCES = 4;
    static final int BASE_GENERATOR_STEPS = 40;
    static final int VOICE_EPOCHS = 100;
    /** The bar: at least 15 % below MCD(A, B) (measured 20.6 % with the seeded run, 16.8 % unseeded; see RVC.md). */
    static final double MAX_MCD_RATIO = 0.85;
    static final double MAX_F0_RMSE_HZ = 20;

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

    @TempDir
    Path dir;

    static boolean espeakAvailable() {
        try {
            return new ProcessBuilder("espeak-ng", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String speaker(String voice) {
        return voice.substring(0, voice.indexOf(':')).replace('+', '_');
    }

    /** Renders {@code voice} saying sentences [from, to) as {@code <speaker>__sNN.wav}. */
    static List<Path> render(Path out, String voice, int from, int to, ExecutorService pool) throws Exception {
        String name = voice.substring(0, voice.indexOf(':'));
        String pitch = voice.substring(voice.indexOf(':') + 1);
        List<Future<Path>> jobs = new ArrayList<>();
        for (int s = from; s < to; s++) {
            Path file = out.resolve(String.format("%s__s%02d.wav", speaker(voice), s + 1));
            String text = SENTENCES[s];
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

    @Test
    void aVoiceFineTunedFromABaseModelConvertsAnUnseenSpeakerTowardsTheTarget() throws Exception {
        Assumptions.assumeTrue(espeakAvailable(), "espeak-ng is needed to synthesise the parallel corpus");
        long started = System.nanoTime();
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Path targetDir = Files.createDirectories(dir.resolve("target"));
        Path sourceDir = Files.createDirectories(dir.resolve("source"));
        List<Path> baseFiles = new ArrayList<>();
        List<Path> targetTraining;
        List<Path> targetTest;
        List<Path> sourceTest;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (String voice : BASE_VOICES) {
                baseFiles.addAll(render(corpus, voice, 0, BASE_SENTENCES, pool));
            }
            targetTraining = render(targetDir, B, 0, VOICE_SENTENCES, pool);
            targetTest = render(targetDir, B, VOICE_SENTENCES, VOICE_SENTENCES + TEST_SENTENCES, pool);
            sourceTest = render(sourceDir, A, VOICE_SENTENCES, VOICE_SENTENCES + TEST_SENTENCES, pool);
        } finally {
            pool.shutdown();
        }
        log(started, "corpus: " + baseFiles.size() + " base files, " + targetTraining.size() + " target files");

        TrainingListener logger = new TrainingListener() {
            @Override
            public void log(String line) {
                RvcQualityTest.log(started, line);
            }
        };
        TrainingParams baseParams = TrainingParams.fromJson(10, BASE_GENERATOR_STEPS, 8, 32000, "tiny", 1e-3, 0, 0.1, 5L, null, "base");
        TrainingResult base = new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("base", baseFiles, baseParams, "cpu", dir.resolve("base"), null, null), logger);
        Map<String, Double> baseMetrics = base.metrics();
        log(started, "base metrics " + baseMetrics);
        // the learned encoder must bring two speakers' renditions of a sentence closer than their spectra are
        assertTrue(baseMetrics.get("encoder_cross_speaker_l1") < 0.75 * baseMetrics.get("input_cross_speaker_l1"), baseMetrics.toString());

        TrainingParams voiceParams = TrainingParams.fromJson(VOICE_EPOCHS, 0, 8, 32000, "tiny", 2e-3, 0, 0.1, 5L, "base", "voice");
        TrainingResult voice = new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("voice", targetTraining, voiceParams, "cpu", dir.resolve("voice"), null, base.artifact()), logger);
        log(started, "voice metrics " + voice.metrics());
        assertTrue(voice.metrics().get("final_loss") < 0.8 * voice.metrics().get("first_loss"), voice.metrics().toString());

        YinPitchEstimator yin = PitchTracking.estimator();
        VoiceConverter converter = new VoiceConverter(RvcOptions.BUILT_IN);
        double sourceMcd = 0;
        double convertedMcd = 0;
        List<float[]> expectedF0 = new ArrayList<>();
        List<float[]> measuredF0 = new ArrayList<>();
        for (int i = 0; i < TEST_SENTENCES; i++) {
            float[] a16 = to16k(AudioDecoder.decode(sourceTest.get(i)));
            float[] b16 = to16k(AudioDecoder.decode(targetTest.get(i)));
            float[] f0a = yin.estimate(a16);
            double semitones = Math.round(12 * Math.log(median(yin.estimate(b16)) / median(f0a)) / Math.log(2));
            ConversionResult converted = converter.convert(new ConversionRequest(voice.artifact(), sourceTest.get(i), semitones,
                    ConversionRequest.DEFAULT_INDEX_RATE, "cpu", dir.resolve("convert")), TrainingListener.NONE);
            float[] c16 = to16k(AudioDecoder.decode(converted.wav()));
            double before = MelCepstralDistortion.compare(b16, a16, 16000).mcdDb();
            double after = MelCepstralDistortion.compare(b16, c16, 16000).mcdDb();
            sourceMcd += before / TEST_SENTENCES;
            convertedMcd += after / TEST_SENTENCES;
            expectedF0.add(F0.shift(f0a, semitones));
            measuredF0.add(yin.estimate(c16));
            log(started, String.format("sentence %d: transpose %+.0f, MCD(A,B) %.2f dB, MCD(converted,B) %.2f dB", i, semitones, before, after));
        }
        F0Metrics.Result pitch = F0Metrics.compare(concat(expectedF0), concat(measuredF0));
        double ratio = convertedMcd / sourceMcd;
        log(started, String.format("MCD(A,B) %.2f dB, MCD(converted,B) %.2f dB (ratio %.3f); F0 RMSE %.1f Hz, corr %.3f, V/UV error %.3f",
                sourceMcd, convertedMcd, ratio, pitch.rmseHz(), pitch.pearson(), pitch.vuvErrorRate()));
        assertTrue(ratio <= MAX_MCD_RATIO, String.format("MCD(converted,B) %.2f dB vs MCD(A,B) %.2f dB", convertedMcd, sourceMcd));
        assertTrue(pitch.rmseHz() < MAX_F0_RMSE_HZ, "F0 RMSE " + pitch.rmseHz());
        assertTrue(pitch.voicedBoth() > 100, "converted speech must be voiced where A is");
    }

    static void log(long started, String line) {
        System.out.printf("[quality %5.1fs] %s%n", (System.nanoTime() - started) / 1e9, line);
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
