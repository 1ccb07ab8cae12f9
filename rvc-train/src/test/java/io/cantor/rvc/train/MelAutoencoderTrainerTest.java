package io.cantor.rvc.train;

import io.cantor.model.Progress;
import io.cantor.model.TrainingParams;
import io.cantor.rvc.InvalidTrainingDataException;
import io.cantor.rvc.TrainingCancelledException;
import io.cantor.rvc.TrainingListener;
import io.cantor.rvc.TrainingRequest;
import io.cantor.rvc.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MelAutoencoderTrainerTest {

    @TempDir
    Path dir;

    @Test
    void lossFallsAndTheArtifactHoldsWeightsConfigMetricsAndCurve() throws Exception {
        List<Path> clips = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clips.add(writeVoiceLikeWav(dir.resolve("clip" + i + ".wav"), 110 + 30 * i, 2.0));
        }
        TrainingParams params = TrainingParams.fromJson(15, null, 16, null, "tiny", 1e-3, null, 0.25, 7L, null, null);
        List<Progress> reports = new ArrayList<>();
        TrainingResult result = new MelAutoencoderTrainer().train(
                new TrainingRequest("job-1", clips, params, "cpu", Files.createDirectories(dir.resolve("work")), null, null),
                new TrainingListener() {
                    @Override
                    public void progress(Progress progress) {
                        reports.add(progress);
                    }
                });

        assertTrue(result.metrics().get("final_loss") < result.metrics().get("first_loss") * 0.7,
                "loss should fall: " + result.metrics());
        assertTrue(result.metrics().containsKey("val_mel_l1"));
        assertEquals(15, reports.stream().filter(p -> "train".equals(p.stage())).count());
        try (ZipFile zip = new ZipFile(result.artifact().toFile())) {
            assertNotNull(zip.getEntry("config.json"));
            assertNotNull(zip.getEntry("metrics.json"));
            assertNotNull(zip.getEntry("loss.csv"));
            assertTrue(zip.stream().anyMatch(e -> e.getName().endsWith(".params")));
        }
    }

    @Test
    void stopsWhenCancelled() throws Exception {
        Path clip = writeVoiceLikeWav(dir.resolve("a.wav"), 150, 2.0);
        TrainingParams params = TrainingParams.fromJson(50, null, 8, null, "tiny", null, null, 0.0, null, null, null);
        assertThrows(TrainingCancelledException.class, () -> new MelAutoencoderTrainer().train(
                new TrainingRequest("job-2", List.of(clip), params, "cpu", dir, null, null),
                new TrainingListener() {
                    @Override
                    public boolean isCancelled() {
                        return true;
                    }
                }));
    }

    @Test
    void refusesSomethingThatIsNotAudio() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.wav"), "this is not audio");
        TrainingParams params = TrainingParams.DEFAULTS;
        assertThrows(InvalidTrainingDataException.class, () -> new MelAutoencoderTrainer().train(
                new TrainingRequest("job-3", List.of(text), params, "cpu", dir, null, null), TrainingListener.NONE));
    }

    /** A harmonic tone with vibrato and a moving formant: enough structure for a mel autoencoder. */
    static Path writeVoiceLikeWav(Path path, double f0, double seconds) throws IOException {
        int rate = 16000;
        int n = (int) (rate * seconds);
        byte[] pcm = new byte[n * 2];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            double pitch = f0 * (1 + 0.03 * Math.sin(2 * Math.PI * 5 * t));
            phase += 2 * Math.PI * pitch / rate;
            double formant = 500 + 300 * Math.sin(2 * Math.PI * 0.7 * t);
            double s = 0;
            for (int h = 1; h * pitch < rate / 2.0; h++) {
                double hz = h * pitch;
                s += Math.exp(-Math.pow((hz - formant) / 400, 2)) * Math.sin(h * phase) / h;
            }
            short v = (short) Math.max(-32768, Math.min(32767, s * 8000));
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, n)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, path.toFile());
        }
        return path;
    }
}
