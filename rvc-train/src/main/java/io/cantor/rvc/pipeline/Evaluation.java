package io.cantor.rvc.pipeline;

import io.cantor.rvc.dsp.MelConfig;
import io.cantor.rvc.dsp.MelSpectrogram;
import io.cantor.rvc.dsp.Resampler;
import io.cantor.rvc.eval.F0Metrics;
import io.cantor.rvc.eval.MelCepstralDistortion;
import io.cantor.rvc.eval.MelDistance;
import io.cantor.rvc.f0.YinPitchEstimator;
import io.cantor.rvc.model.Synthesizer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resynthesis on held-out chunks: the model renders each chunk from its own content features and F0
 * (with the chunk's speaker), and the result is compared with the recording: RVC's mel L1, DTW-aligned
 * mel-cepstral distortion, and F0 of the output (YIN) against the input F0.
 */
public final class Evaluation {
    private Evaluation() {
    }

    public static Map<String, Double> resynthesis(Synthesizer synthesizer, List<TrainingChunk> chunks, long seed) {
        int rate = synthesizer.config().sampleRate();
        MelSpectrogram mel = new MelSpectrogram(MelConfig.forRvc(rate));
        Resampler to16k = new Resampler(rate, 16000);
        YinPitchEstimator yin = io.cantor.rvc.pipeline.PitchTracking.estimator();
        double melL1 = 0;
        double mcd = 0;
        int n = 0;
        int totalFrames = 0;
        for (TrainingChunk c : chunks) {
            totalFrames += c.frames();
        }
        float[] reference = new float[totalFrames];
        float[] estimate = new float[totalFrames];
        int offset = 0;
        for (TrainingChunk c : chunks) {
            float[] out = synthesizer.synthesize(c.content(), c.f0(), c.speaker(), seed + n);
            melL1 += MelDistance.l1(mel.compute(c.audio()), mel.compute(out));
            mcd += MelCepstralDistortion.compare(c.audio(), out, rate).mcdDb();
            float[] f0 = yin.estimate(to16k.resample(out));
            System.arraycopy(c.f0(), 0, reference, offset, c.frames());
            System.arraycopy(f0, 0, estimate, offset, Math.min(f0.length, c.frames()));
            offset += c.frames();
            n++;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (n == 0) {
            return metrics;
        }
        F0Metrics.Result pitch = F0Metrics.compare(reference, estimate);
        metrics.put("val_mel_l1", melL1 / n);
        metrics.put("mcd_db", mcd / n);
        metrics.put("f0_rmse_hz", pitch.rmseHz());
        metrics.put("f0_corr", pitch.pearson());
        metrics.put("vuv_error", pitch.vuvErrorRate());
        metrics.put("eval_chunks", (double) n);
        return metrics;
    }
}
