package io.cantor.rvc.convert;

import ai.djl.Device;
import io.cantor.model.TrainingParams;
import io.cantor.rvc.RvcOptions;
import io.cantor.rvc.RvcTrainer;
import io.cantor.rvc.TestAudio;
import io.cantor.rvc.TrainingListener;
import io.cantor.rvc.TrainingRequest;
import io.cantor.rvc.audio.AudioClip;
import io.cantor.rvc.audio.AudioDecoder;
import io.cantor.rvc.audio.AudioProbe;
import io.cantor.rvc.content.ContentEncoder;
import io.cantor.rvc.dsp.HighPassFilter;
import io.cantor.rvc.f0.F0;
import io.cantor.rvc.pipeline.PitchTracking;
import io.cantor.rvc.pipeline.RvcModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VoiceConverterTest {

    @TempDir
    static Path dir;
    static Path model;
    static Path input;

    @BeforeAll
    static void trainATinyVoice() throws Exception {
        List<Path> clips = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clips.add(TestAudio.writeVoice(dir.resolve("v" + i + ".wav"), 200, 1.1, 3.0, i));
        }
        TrainingParams params = TrainingParams.fromJson(2, null, 2, 32000, "tiny", 1e-3, 0, 0.0, 3L, null, "voice");
        model = new RvcTrainer(RvcOptions.BUILT_IN).train(
                new TrainingRequest("voice", clips, params, "cpu", dir.resolve("train"), null, null), TrainingListener.NONE).artifact();
        input = TestAudio.writeVoice(dir.resolve("input.wav"), 110, 0.9, 2.0, 7);
    }

    @Test
    void writesA16BitWavAtTheModelRateThatIsTheGeneratorsOutputForTheTransposedF0() throws Exception {
        ConversionResult result = new VoiceConverter(RvcOptions.BUILT_IN).convert(
                new ConversionRequest(model, input, 12, 0.0, "cpu", dir.resolve("c0")), TrainingListener.NONE);
        var info = AudioProbe.probe(result.wav());
        assertEquals(32000, info.sampleRate());
        assertEquals(16, info.bitsPerSample());
        AudioClip out = AudioDecoder.decode(result.wav());
        int frames = (int) Math.round(result.stats().get("frames"));
        assertEquals(frames * 320, out.length());
        assertEquals(2.0, result.stats().get("input_seconds"), 1e-6);

        // the same computation by hand: YIN F0 up an octave, content features without retrieval, speaker 0, seed 0
        AudioClip clip = AudioDecoder.decode(input);
        float[] audio16k = HighPassFilter.rvc(16000).filter(clip.samples());
        float[] f0 = F0.shift(PitchTracking.estimator().estimate(audio16k), 12);
        try (RvcModel m = RvcModel.load(model, dir.resolve("check"), RvcOptions.BUILT_IN, Device.cpu())) {
            float[][] content = ContentEncoder.upsample(m.encoder().encode(audio16k), f0.length, m.encoder().dim());
            float[] expected = m.synthesizer().synthesize(content, f0, 0, 0);
            double peak = 0;
            for (float v : expected) {
                peak = Math.max(peak, Math.abs(v));
            }
            double scale = peak > 0.99 ? 0.99 / peak : 1;
            for (int i = 0; i < expected.length; i += 97) {
                assertEquals(expected[i] * scale, out.samples()[i], 2.0 / 32768);
            }
        }
    }

    @Test
    void retrievalBlendingChangesTheOutput() throws Exception {
        VoiceConverter converter = new VoiceConverter(RvcOptions.BUILT_IN);
        AudioClip plain = AudioDecoder.decode(converter.convert(
                new ConversionRequest(model, input, 0, 0.0, "cpu", dir.resolve("c1")), null).wav());
        AudioClip retrieved = AudioDecoder.decode(converter.convert(
                new ConversionRequest(model, input, 0, 1.0, "cpu", dir.resolve("c2")), null).wav());
        double diff = 0;
        for (int i = 0; i < plain.length(); i++) {
            diff += Math.abs(plain.samples()[i] - retrieved.samples()[i]);
        }
        assertTrue(diff / plain.length() > 1e-4, "index rate 1 must swap in training features");
    }

    @Test
    void rejectsOutOfRangeSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ConversionRequest(model, input, 0, 1.5, "cpu", dir));
        assertThrows(IllegalArgumentException.class, () -> new ConversionRequest(model, input, 100, 0.5, "cpu", dir));
    }
}
