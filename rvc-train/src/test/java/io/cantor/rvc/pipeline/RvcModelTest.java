package io.cantor.rvc.pipeline;

import ai.djl.Device;
import io.cantor.rvc.RvcOptions;
import io.cantor.rvc.content.ContentNet;
import io.cantor.rvc.content.LearnedContentEncoder;
import io.cantor.rvc.content.SpectralContentEncoder;
import io.cantor.rvc.index.IvfIndex;
import io.cantor.rvc.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RvcModelTest {

    @TempDir
    Path dir;

    @Test
    void filesRoundTripToIdenticalWeightsEncoderAndIndex() throws Exception {
        ContentNet.Shape shape = new ContentNet.Shape(160, 32, 1, 80);
        Random random = new Random(4);
        float[][] vectors = new float[200][80];
        for (float[] v : vectors) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
        }
        float[] audio = io.cantor.rvc.TestAudio.voice(150, 1, 0.5, 2);
        try (RvcModel model = new RvcModel(ModelConfig.of("tiny", 40000, 80), "base", List.of("a", "b"),
                new LearnedContentEncoder(shape), Device.cpu())) {
            model.setIndex(IvfIndex.build(vectors, 1));
            model.writeFiles(dir.resolve("m"));
            try (RvcModel loaded = RvcModel.readFiles(dir.resolve("m"), RvcOptions.BUILT_IN, Device.cpu())) {
                assertEquals(model.config(), loaded.config());
                assertEquals(List.of("a", "b"), loaded.speakerNames());
                assertEquals("base", loaded.task());
                var mine = model.generator().getParameters();
                var theirs = loaded.generator().getParameters();
                assertEquals(mine.size(), theirs.size());
                for (int i = 0; i < mine.size(); i++) {
                    assertEquals(mine.get(i).getValue().getArray().getShape(), theirs.get(i).getValue().getArray().getShape());
                    assertArrayEquals(mine.get(i).getValue().getArray().toFloatArray(), theirs.get(i).getValue().getArray().toFloatArray());
                }
                assertArrayEquals(model.speakers().weight().getArray().toFloatArray(), loaded.speakers().weight().getArray().toFloatArray());
                assertEquals(200, loaded.index().size());
                assertArrayEquals(model.encoder().encode(audio)[5], loaded.encoder().encode(audio)[5]);
                assertEquals("learned", loaded.configJson().get("contentEncoder") instanceof java.util.Map<?, ?> m ? m.get("kind") : null);
            }
        }
    }

    @Test
    void fineTuningCopiesTheGeneratorAndStartsTheVoiceAtTheMeanSpeaker() {
        ModelConfig config = ModelConfig.of("tiny", 32000, 80);
        try (RvcModel base = new RvcModel(config, "base", List.of("a", "b", "c"), new SpectralContentEncoder(), Device.cpu());
             RvcModel voice = new RvcModel(config, "voice", List.of("voice"), new SpectralContentEncoder(), Device.cpu())) {
            voice.initialiseFrom(base);
            assertArrayEquals(base.generator().getParameters().get(3).getValue().getArray().toFloatArray(),
                    voice.generator().getParameters().get(3).getValue().getArray().toFloatArray());
            float[] table = base.speakers().weight().getArray().toFloatArray();
            float[] mean = voice.speakers().weight().getArray().toFloatArray();
            int width = config.speakerDim();
            for (int c = 0; c < width; c++) {
                assertEquals((table[c] + table[width + c] + table[2 * width + c]) / 3, mean[c], 1e-5);
            }
        }
    }
}
