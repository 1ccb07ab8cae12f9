package io.cantor.rvc.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.cantor.rvc.dsp.MelConfig;
import io.cantor.rvc.dsp.MelSpectrogram;
import io.cantor.rvc.f0.F0;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {

    /** One fixed batch: content, coarse pitch, source, target wave. */
    private record Batch(NDArray content, NDArray pitch, NDArray source, NDArray speakers, NDArray target) {
    }

    private static Batch batch(NDManager m, ModelConfig c, int batch, int frames, long seed) {
        Random random = new Random(seed);
        int hop = c.hop();
        float[] content = new float[batch * frames * c.contentDim()];
        for (int i = 0; i < content.length; i++) {
            content[i] = (float) random.nextGaussian();
        }
        float[] f0 = new float[frames];
        Arrays.fill(f0, 150f);
        int[] coarse = new int[batch * frames];
        float[] source = new float[batch * (c.harmonics() + 1) * frames * hop];
        float[] target = new float[batch * frames * hop];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(F0.coarse(f0), 0, coarse, b * frames, frames);
            float[][] s = SineSource.render(f0, 0, frames, hop, c.sampleRate(), c.harmonics(), random);
            for (int h = 0; h < s.length; h++) {
                System.arraycopy(s[h], 0, source, (b * s.length + h) * frames * hop, frames * hop);
            }
            for (int i = 0; i < frames * hop; i++) {
                double t = (double) i / c.sampleRate();
                target[b * frames * hop + i] = (float) (0.3 * Math.sin(2 * Math.PI * 150 * t) + 0.1 * Math.sin(2 * Math.PI * 450 * t));
            }
        }
        return new Batch(m.create(content, new Shape(batch, frames, c.contentDim())), m.create(coarse, new Shape(batch, frames)),
                m.create(source, new Shape(batch, c.harmonics() + 1, (long) frames * hop)), m.create(new int[batch]),
                m.create(target, new Shape(batch, (long) frames * hop)));
    }

    @Test
    void tinyGeneratorsEmitHopSamplesPerFrameAtEveryRate() {
        for (int rate : new int[]{32000, 40000, 48000}) {
            ModelConfig c = ModelConfig.of("tiny", rate, 80);
            assertEquals(rate / 100, c.hop());
            try (NDManager m = NDManager.newBaseManager()) {
                NsfGenerator g = new NsfGenerator(c);
                g.initialize(m);
                Table speakers = new Table(3, c.speakerDim());
                speakers.initialize(m);
                Batch b = batch(m, c, 2, 12, 1);
                ParameterStore store = new ParameterStore(m, false);
                NDArray y = g.generate(store, b.content, b.pitch, b.source, speakers.lookup(store, m.create(new int[]{0, 2}), false), false);
                assertEquals(new Shape(2, 12L * c.hop()), y.getShape());
                float[] v = y.toFloatArray();
                for (float x : v) {
                    assertTrue(Float.isFinite(x) && Math.abs(x) < 1);
                }
            }
        }
    }

    @Test
    void rvcSizedGeneratorHasRvcLayersAndTakesATrainingStep() {
        ModelConfig c = ModelConfig.of("rvc", 40000, 768);
        assertEquals(java.util.List.of(10, 10, 2, 2), c.upsampleRates());
        assertEquals(512, c.initialChannels());
        assertEquals(java.util.List.of(3, 7, 11), c.resblockKernels());
        assertEquals(java.util.List.of(256, 128, 64, 32), java.util.stream.IntStream.range(0, 4).map(c::stageChannels).boxed().toList());
        try (NDManager m = NDManager.newBaseManager()) {
            NsfGenerator g = new NsfGenerator(c);
            g.initialize(m);
            Table speakers = new Table(1, c.speakerDim());
            speakers.initialize(m);
            long parameters = g.getParameters().stream().mapToLong(p -> p.getValue().getArray().size()).sum();
            assertTrue(parameters > 10_000_000, "RVC-sized decoder has tens of millions of weights: " + parameters);
            g.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            float before = g.getParameters().get(0).getValue().getArray().sum().getFloat();
            try (AdamW optimizer = new AdamW(g.getParameters(), m);
                 SpectralLoss loss = new SpectralLoss(MelConfig.forRvc(40000), m);
                 NDManager scope = m.newSubManager()) {
                Batch b = batch(scope, c, 1, 8, 2);
                ParameterStore store = new ParameterStore(scope, false);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray y = g.generate(store, b.content, b.pitch, b.source, speakers.lookup(store, b.speakers, true), true);
                    NDArray l = loss.total(y, b.target)[0];
                    assertTrue(Float.isFinite(l.getFloat()));
                    collector.backward(l);
                }
                optimizer.step(1e-3f);
            }
            assertTrue(before != g.getParameters().get(0).getValue().getArray().sum().getFloat());
        }
    }

    @Test
    void lossFallsOnAFixedBatch() {
        ModelConfig c = ModelConfig.of("tiny", 32000, 16);
        try (NDManager m = NDManager.newBaseManager()) {
            NsfGenerator g = new NsfGenerator(c);
            g.initialize(m);
            Table speakers = new Table(1, c.speakerDim());
            speakers.initialize(m);
            var parameters = new ai.djl.util.PairList<String, ai.djl.nn.Parameter>();
            g.getParameters().forEach(p -> parameters.add(p.getKey(), p.getValue()));
            speakers.getParameters().forEach(p -> parameters.add("spk" + p.getKey(), p.getValue()));
            parameters.forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            Batch b = batch(m, c, 2, 16, 3);
            double first = 0;
            double last = 0;
            try (AdamW optimizer = new AdamW(parameters, m); SpectralLoss loss = new SpectralLoss(MelConfig.forRvc(32000), m)) {
                for (int step = 0; step < 25; step++) {
                    try (NDManager scope = m.newSubManager()) {
                        ParameterStore store = new ParameterStore(scope, false);
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDArray y = g.generate(store, b.content, b.pitch, b.source, speakers.lookup(store, b.speakers, true), true);
                            NDArray l = loss.total(y, b.target)[0];
                            collector.backward(l);
                            last = l.getFloat();
                        }
                        optimizer.step(2e-3f);
                    }
                    if (step == 0) {
                        first = last;
                    }
                }
            }
            assertTrue(last < 0.8 * first, "loss " + first + " -> " + last);
        }
    }

    @Test
    void djlMelSpectrogramEqualsTheCpuOne() {
        MelConfig config = MelConfig.RVC_32K;
        float[] wave = new float[320 * 40];
        for (int i = 0; i < wave.length; i++) {
            double t = i / 32000.0;
            wave[i] = (float) (0.4 * Math.sin(2 * Math.PI * (200 + 2000 * t) * t));
        }
        float[][] expected = new MelSpectrogram(config).compute(wave);
        try (NDManager m = NDManager.newBaseManager(); SpectralLoss loss = new SpectralLoss(config, m)) {
            NDArray mel = loss.logMel(m.create(wave, new Shape(1, wave.length)));
            assertEquals(new Shape(1, expected.length, config.nMels()), mel.getShape());
            float[] actual = mel.toFloatArray();
            float[] flat = new float[actual.length];
            for (int t = 0; t < expected.length; t++) {
                System.arraycopy(expected[t], 0, flat, t * config.nMels(), config.nMels());
            }
            assertArrayEquals(flat, actual, 2e-3f);
        }
    }
}
