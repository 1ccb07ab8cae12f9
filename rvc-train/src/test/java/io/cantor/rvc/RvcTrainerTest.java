package io.cantor.rvc;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import io.cantor.model.Progress;
import io.cantor.model.TrainingParams;
import io.cantor.model.json.Json;
import io.cantor.rvc.audio.WavWriter;
import io.cantor.rvc.model.GradMode;
import io.cantor.rvc.pipeline.RvcModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RvcTrainerTest {

    @TempDir
    static Path shared;
    static List<Path> clips = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void recordings() throws Exception {
        for (int i = 0; i < 4; i++) {
            clips.add(TestAudio.writeVoice(shared.resolve("clip" + i + ".wav"), 120 + 15 * i, 1.0, 3.0, i));
        }
    }

    static TrainingParams params(int epochs, int checkpointEvery) {
        return TrainingParams.fromJson(epochs, null, 2, 32000, "tiny", 1e-3, checkpointEvery, 0.25, 11L, null, "voice");
    }

    /** Records what a run reports. */
    static class Recorder implements TrainingListener {
        final List<Progress> progress = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        final List<Integer> checkpoints = new ArrayList<>();

        @Override
        public void progress(Progress p) {
            progress.add(p);
        }

        @Override
        public void log(String line) {
            log.add(line);
        }

        @Override
        public void checkpoint(Path zip, int epoch) {
            checkpoints.add(epoch);
        }

        List<Progress> train() {
            return progress.stream().filter(p -> "train".equals(p.stage())).toList();
        }
    }

    /** A recorder that copies each checkpoint to {@code kept} (the trainer deletes its own copy). */
    static Recorder keepingLastCheckpointAt(Path kept) {
        return new Recorder() {
            @Override
            public void checkpoint(Path zip, int epoch) {
                super.checkpoint(zip, epoch);
                try {
                    Files.copy(zip, kept, StandardCopyOption.REPLACE_EXISTING);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    @Test
    void aVoiceJobReportsEveryStageAndWritesAnRvcStyleArtifact() throws Exception {
        Recorder recorder = new Recorder();
        TrainingResult result = new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("job-1", clips, params(3, 2), "cpu", dir, null, null), recorder);

        List<String> stages = recorder.progress.stream().map(Progress::stage).distinct().toList();
        assertEquals(List.of("preprocess", "f0", "features", "index", "train", "evaluate", "package"), stages);
        List<Progress> train = recorder.train();
        assertEquals(3, train.get(train.size() - 1).epoch());
        assertEquals(6, train.get(train.size() - 1).step()); // 3 training clips, batch 2: 2 steps per epoch
        assertEquals(6, train.get(train.size() - 1).steps());
        assertTrue(train.stream().allMatch(p -> p.loss() != null && p.samplesPerSecond() > 0));
        assertEquals(List.of(2), recorder.checkpoints);
        assertTrue(recorder.log.stream().anyMatch(l -> l.startsWith("epoch 3/3")));

        for (String key : List.of("val_mel_l1", "mcd_db", "f0_rmse_hz", "f0_corr", "vuv_error", "first_loss", "final_loss",
                "epochs", "steps", "train_seconds")) {
            assertTrue(result.metrics().containsKey(key), key + " in " + result.metrics());
        }
        assertEquals(3.0, result.metrics().get("epochs"));
        assertEquals(0.0, result.metrics().get("discriminator")); // off on CPU unless asked for
        assertEquals(6.0, result.metrics().get("steps"));
        assertEquals(0.0, result.metrics().get("rollbacks"));
        assertEquals(0.0, result.metrics().get("evaluated_on_training_data"));
        try (ZipFile zip = new ZipFile(result.artifact().toFile())) {
            for (String entry : List.of("config.json", "generator.params", "speakers.params", "index.ivf", "metrics.json", "loss.csv")) {
                assertNotNull(zip.getEntry(entry), entry);
            }
            JsonNode config = Json.mapper().readTree(zip.getInputStream(zip.getEntry("config.json")));
            assertEquals("cantor-rvc", config.path("format").asText());
            assertEquals("v2", config.path("version").asText());
            assertEquals(32000, config.path("sampleRate").asInt());
            assertTrue(config.path("f0").asBoolean());
            assertEquals("tiny", config.path("modelSize").asText());
            assertEquals(320, config.path("hop").asInt());
            assertEquals("spectral", config.path("contentEncoder").path("kind").asText());
            assertEquals(80, config.path("contentEncoder").path("dim").asInt());
            assertEquals(64, config.path("generator").path("initialChannels").asInt());
            String csv = new String(zip.getInputStream(zip.getEntry("loss.csv")).readAllBytes());
            assertTrue(csv.startsWith("step,epoch,loss,mel_l1,stft\n1,1,"));
            assertEquals(7, csv.strip().split("\n").length);
            JsonNode metrics = Json.mapper().readTree(zip.getInputStream(zip.getEntry("metrics.json")));
            assertEquals(result.metrics().get("mcd_db"), metrics.path("mcd_db").asDouble(), 1e-9);
        }
    }

    @Test
    void trainsOnAThreadOtherThanTheOneThatLoadedTheEngine() throws Exception {
        Engine.getInstance(); // loaded here; DJL switches autograd off on this thread only
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            assertTrue(worker.submit(GradMode::isOnForThisThread).get(),
                    "a fresh thread starts with autograd on, which is what an agent's worker thread sees");
            TrainingResult result = worker.submit(() -> new RvcTrainer(RvcOptions.BUILT_IN).train(
                    new TrainingRequest("job-t", clips, params(1, 0), "cpu", dir, null, null), new Recorder())).get();
            assertEquals(1.0, result.metrics().get("epochs"));
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void resumingFromACheckpointContinuesAtTheNextEpochAndEndsLikeAnUninterruptedRun() throws Exception {
        Path kept = dir.resolve("epoch2.zip");
        AtomicBoolean cancel = new AtomicBoolean();
        Recorder first = new Recorder() {
            @Override
            public void checkpoint(Path zip, int epoch) {
                super.checkpoint(zip, epoch);
                if (epoch == 2) {
                    try {
                        Files.copy(zip, kept, StandardCopyOption.REPLACE_EXISTING);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    cancel.set(true); // the "crash" after epoch 2
                }
            }

            @Override
            public boolean isCancelled() {
                return cancel.get();
            }
        };
        assertThrows(TrainingCancelledException.class, () -> new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("job-2", clips, params(3, 1), "cpu", dir.resolve("a"), null, null), first));
        assertEquals(List.of(1, 2), first.checkpoints);

        Recorder resumed = new Recorder();
        TrainingResult result = new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("job-2", clips, params(3, 1), "cpu", dir.resolve("b"), kept, null), resumed);
        Progress firstReport = resumed.train().get(0);
        assertEquals(2, firstReport.epoch());
        assertEquals(4, firstReport.step());
        assertEquals(3, resumed.train().get(resumed.train().size() - 1).epoch());
        assertEquals(List.of(3), resumed.checkpoints);
        assertEquals(6.0, result.metrics().get("steps"));

        TrainingResult straight = new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("job-3", clips, params(3, 0), "cpu", dir.resolve("c"), null, null), new Recorder());
        try (RvcModel a = RvcModel.load(result.artifact(), dir.resolve("ua"), RvcOptions.BUILT_IN, Device.cpu());
             RvcModel b = RvcModel.load(straight.artifact(), dir.resolve("ub"), RvcOptions.BUILT_IN, Device.cpu())) {
            assertEquals(Json.mapper().valueToTree(a.configJson()), Json.mapper().valueToTree(b.configJson()));
            var pa = a.generator().getParameters();
            var pb = b.generator().getParameters();
            assertEquals(pa.size(), pb.size());
            for (int i = 0; i < pa.size(); i++) {
                assertEquals(pa.get(i).getKey(), pb.get(i).getKey());
                assertEquals(pa.get(i).getValue().getArray().getShape(), pb.get(i).getValue().getArray().getShape());
            }
        }
        String curve = Files.readString(dir.resolve("b/artifact/loss.csv"));
        assertEquals(7, curve.strip().split("\n").length, "the resumed loss curve keeps the first two epochs");
    }

    @Test
    void resumingFromTheLastEpochsCheckpointKeepsItsWeightsExactly() throws Exception {
        Path kept = dir.resolve("last.zip");
        Recorder keeper = keepingLastCheckpointAt(kept);
        new RvcTrainer(RvcOptions.BUILT_IN).train(new TrainingRequest("job-4", clips, params(1, 1), "cpu", dir.resolve("a"), null, null), keeper);
        Recorder resumed = new Recorder();
        TrainingResult result = new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("job-4", clips, params(1, 1), "cpu", dir.resolve("b"), kept, null), resumed);
        assertEquals(1, resumed.train().get(0).epoch());
        try (RvcModel checkpoint = RvcModel.load(kept, dir.resolve("uc"), RvcOptions.BUILT_IN, Device.cpu());
             RvcModel artifact = RvcModel.load(result.artifact(), dir.resolve("ua"), RvcOptions.BUILT_IN, Device.cpu())) {
            var pc = checkpoint.generator().getParameters();
            var pa = artifact.generator().getParameters();
            for (int i = 0; i < pc.size(); i++) {
                assertArrayEquals(pc.get(i).getValue().getArray().toFloatArray(), pa.get(i).getValue().getArray().toFloatArray());
            }
        }
    }

    @Test
    void theMultiPeriodDiscriminatorOptionTrainsChecksItselfInAndResumes() throws Exception {
        System.setProperty(RvcTrainer.DISCRIMINATOR_PROPERTY, "true");
        try {
            Path kept = dir.resolve("d.zip");
            Recorder keeper = keepingLastCheckpointAt(kept);
            TrainingResult result = new RvcTrainer(RvcOptions.BUILT_IN).train(
                    new TrainingRequest("job-d", clips, params(1, 1), "cpu", dir.resolve("a"), null, null), keeper);
            assertEquals(1.0, result.metrics().get("discriminator"));
            try (ZipFile zip = new ZipFile(kept.toFile())) {
                assertNotNull(zip.getEntry("discriminator.params"));
                assertNotNull(zip.getEntry("optimizer_d.bin"));
            }
            String csv = Files.readString(dir.resolve("a/artifact/loss.csv"));
            assertTrue(csv.startsWith("step,epoch,loss,mel_l1,stft,g_adv,d_loss\n"), csv);
            for (String row : csv.strip().split("\n")) {
                if (!row.startsWith("step")) {
                    double dLoss = Double.parseDouble(row.split(",")[6]);
                    assertTrue(dLoss > 0 && Double.isFinite(dLoss), row);
                }
            }
            TrainingResult resumed = new RvcTrainer(RvcOptions.BUILT_IN).train(
                    new TrainingRequest("job-d", clips, params(2, 1), "cpu", dir.resolve("b"), kept, null), new Recorder());
            assertEquals(4.0, resumed.metrics().get("steps"));
        } finally {
            System.clearProperty(RvcTrainer.DISCRIMINATOR_PROPERTY);
        }
    }

    @Test
    void aLossSpikeIsUndoneWithHalfTheLearningRateEvenAfterAResume() throws Exception {
        spikeAfterAResume("job-s");
    }

    @Test
    void withTheDiscriminatorOnBothModelsGoBack() throws Exception {
        System.setProperty(RvcTrainer.DISCRIMINATOR_PROPERTY, "true");
        try {
            spikeAfterAResume("job-sd");
        } finally {
            System.clearProperty(RvcTrainer.DISCRIMINATOR_PROPERTY);
        }
    }

    private void spikeAfterAResume(String jobId) throws Exception {
        Path kept = dir.resolve("epoch3.zip");
        Recorder keeper = keepingLastCheckpointAt(kept);
        TrainingResult calm = new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest(jobId, clips, params(3, 3), "cpu", dir.resolve("a"), null, null), keeper);
        assertEquals(0.0, calm.metrics().get("rollbacks"));

        // the same run resumed with a learning rate 500x higher leaves its basin in the first epoch
        TrainingParams wild = TrainingParams.fromJson(6, null, 2, 32000, "tiny", 0.5, 0, 0.25, 11L, null, "voice");
        Recorder resumed = new Recorder();
        TrainingResult result;
        try {
            result = new RvcTrainer(RvcOptions.BUILT_IN).train(
                    new TrainingRequest(jobId, clips, wild, "cpu", dir.resolve("b"), kept, null), resumed);
        } catch (TrainingDivergedException e) {
            assertTrue(e.getMessage().contains("after 4 rollbacks"), e.getMessage());
            result = null; // the guard's last word when halving four times is not enough
        }
        List<String> rollbacks = resumed.log.stream().filter(l -> l.contains("back to epoch 3's weights")).toList();
        assertFalse(rollbacks.isEmpty(), "no rollback in " + resumed.log);
        assertTrue(rollbacks.get(0).contains("learning rate x0.500"), rollbacks.get(0));
        assertTrue(resumed.log.stream().anyMatch(l -> l.contains("lr 0.250")), "the next epoch runs at half: " + resumed.log);
        if (result != null) {
            assertEquals((double) rollbacks.size(), result.metrics().get("rollbacks"));
        }
    }

    @Test
    void stopsWhenCancelled() {
        assertThrows(TrainingCancelledException.class, () -> new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("job-5", clips, params(5, 0), "cpu", dir, null, null), new TrainingListener() {
                    @Override
                    public boolean isCancelled() {
                        return true;
                    }
                }));
    }

    @Test
    void refusesWhatIsNotAudioSilenceAndABaseCorpusOfOneSpeaker() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.wav"), "this is not audio");
        assertThrows(InvalidTrainingDataException.class, () -> new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("job-6", List.of(text), params(1, 0), "cpu", dir, null, null), TrainingListener.NONE));
        Path silence = dir.resolve("silence.wav");
        WavWriter.write(silence, new float[48000], 16000, WavWriter.SampleFormat.PCM_S16);
        assertThrows(InvalidTrainingDataException.class, () -> new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("job-7", List.of(silence), params(1, 0), "cpu", dir, null, null), TrainingListener.NONE));
        Path a = Files.copy(clips.get(0), dir.resolve("alice__s1.wav"));
        Path b = Files.copy(clips.get(1), dir.resolve("alice__s2.wav"));
        TrainingParams base = TrainingParams.fromJson(1, null, 2, 32000, "tiny", null, 0, 0.0, 1L, null, "base");
        assertThrows(InvalidTrainingDataException.class, () -> new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("job-8", List.of(a, b), base, "cpu", dir, null, null), TrainingListener.NONE));
        Path unnamed = Files.copy(clips.get(2), dir.resolve("nounderscores.wav"));
        assertThrows(InvalidTrainingDataException.class, () -> new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("job-9", List.of(a, unnamed), base, "cpu", dir, null, null), TrainingListener.NONE));
    }
}
