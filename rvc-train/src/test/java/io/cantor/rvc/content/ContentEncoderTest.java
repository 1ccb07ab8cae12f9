package io.cantor.rvc.content;

import io.cantor.rvc.TestAudio;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentEncoderTest {

    @Test
    void upsamplingRepeatsEach50HzFrameTwiceAndPadsWithTheLast() {
        float[][] f = {{1}, {2}, {3}};
        float[][] up = ContentEncoder.upsample(f, 7, 1);
        assertEquals(7, up.length);
        float[] expected = {1, 1, 2, 2, 3, 3, 3};
        for (int t = 0; t < 7; t++) {
            assertEquals(expected[t], up[t][0]);
        }
        assertSame(f[0], up[1]);
        assertEquals(50, ContentEncoder.frames50Hz(16000));
        assertEquals(51, ContentEncoder.frames50Hz(16001));
    }

    @Test
    void spectralFeaturesAre80MeanNormalisedBandsAt50Hz() {
        float[] audio = TestAudio.voice(140, 1.0, 1.0, 1);
        float[][] pooled = new SpectralContentEncoder().encode(audio);
        assertEquals(50, pooled.length);
        assertEquals(80, pooled[0].length);
        float[][] stacked = SpectralFeatures.stacked(audio);
        assertEquals(160, stacked[0].length);
        double[] mean = new double[80];
        for (float[] frame : SpectralFeatures.normalisedLogMel(audio)) {
            for (int b = 0; b < 80; b++) {
                mean[b] += frame[b] / 100.0;
            }
        }
        for (double m : mean) {
            assertEquals(0, m, 1e-3);
        }
        // a louder recording of the same thing gives the same features (gain is a mean offset in log-mel)
        float[] louder = audio.clone();
        for (int i = 0; i < louder.length; i++) {
            louder[i] *= 3;
        }
        assertEquals(pooled[20][10], new SpectralContentEncoder().encode(louder)[20][10], 1e-3);
    }

    @Test
    void theLearnedEncoderGivesTheSameFramesAsOnePassOverTheWholeUtterance() {
        float[] audio = TestAudio.voice(150, 1.0, 2.1, 3);
        float[][] stacked = SpectralFeatures.stacked(audio);
        try (LearnedContentEncoder encoder = new LearnedContentEncoder(ContentNet.Shape.forSize("tiny"));
             ai.djl.ndarray.NDManager scope = encoder.manager().newSubManager()) {
            int frames = stacked.length;
            float[] flat = new float[160 * frames];
            for (int t = 0; t < frames; t++) {
                for (int c = 0; c < 160; c++) {
                    flat[c * frames + t] = stacked[t][c];
                }
            }
            float[] whole = encoder.net().apply(new ai.djl.training.ParameterStore(scope, false),
                    scope.create(flat, new ai.djl.ndarray.types.Shape(1, 160, frames)), false).toFloatArray();
            float[][] halves = encoder.apply(stacked);
            for (int t = 0; t < frames; t++) {
                for (int c = 0; c < 80; c += 7) {
                    assertEquals(whole[c * frames + t], halves[t][c], 1e-4, "frame " + t);
                }
            }
        }
    }

    @Test
    void alignmentTrainingMakesTwoSpeakersEncodingsCloserThanTheirSpectra() {
        // three "speakers" (formant scale and pitch differ) say the same four "sentences" (vowel orders)
        double[][] speakers = {{110, 0.9}, {180, 1.05}, {240, 1.2}};
        List<ContentEncoderTrainer.Utterance> train = new ArrayList<>();
        List<ContentEncoderTrainer.Utterance> held = new ArrayList<>();
        for (int s = 0; s < speakers.length; s++) {
            for (int sentence = 0; sentence < 5; sentence++) {
                float[] audio = TestAudio.voice(speakers[s][0], speakers[s][1], 1.6, sentence);
                var u = new ContentEncoderTrainer.Utterance("spk" + s, "s" + sentence, audio);
                (sentence < 4 ? train : held).add(u);
            }
        }
        assertEquals("spk0", ContentEncoderTrainer.referenceSpeaker(train));
        try (LearnedContentEncoder encoder = new LearnedContentEncoder(new ContentNet.Shape(160, 64, 2, 80))) {
            Map<String, Double> figures = ContentEncoderTrainer.train(encoder, train, held, 150, 1, new ContentEncoderTrainer.Monitor() {
                @Override
                public void step(int step, int steps, double loss) {
                }

                @Override
                public boolean cancelled() {
                    return false;
                }
            });
            assertTrue(figures.get("encoder_final_loss") < 0.5 * figures.get("encoder_first_loss"), figures.toString());
            assertTrue(figures.get("encoder_cross_speaker_l1") < 0.8 * figures.get("input_cross_speaker_l1"), figures.toString());
            assertEquals(80, encoder.encode(held.get(0).audio16k())[0].length);
        }
    }
}
