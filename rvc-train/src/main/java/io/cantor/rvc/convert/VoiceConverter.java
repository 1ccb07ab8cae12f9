package io.cantor.rvc.convert;

import io.cantor.rvc.model.GradMode;

import io.cantor.model.Progress;
import io.cantor.rvc.InvalidTrainingDataException;
import io.cantor.rvc.RvcOptions;
import io.cantor.rvc.TrainingCancelledException;
import io.cantor.rvc.TrainingListener;
import io.cantor.rvc.audio.AudioClip;
import io.cantor.rvc.audio.AudioDecoder;
import io.cantor.rvc.audio.UnsupportedAudioException;
import io.cantor.rvc.audio.WavWriter;
import io.cantor.rvc.content.ContentEncoder;
import io.cantor.rvc.dsp.HighPassFilter;
import io.cantor.rvc.dsp.Resampler;
import io.cantor.rvc.f0.F0;
import io.cantor.rvc.f0.YinPitchEstimator;
import io.cantor.rvc.pipeline.RvcModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RVC inference ({@code pipeline.vc}): decode, resample to 16 kHz, 48 Hz high-pass, F0 (YIN)
 * transposed, content features, retrieval blend at {@code indexRate} on the 50 frames/s features
 * (before they are repeated to 100 frames/s, as RVC does), generator at the model's rate with its
 * first speaker, peak-limited to 0.99 and written as 16-bit WAV. Blocking; callers use a worker thread.
 */
public final class VoiceConverter {
    private final RvcOptions options;

    public VoiceConverter(RvcOptions options) {
        this.options = options == null ? RvcOptions.BUILT_IN : options;
    }

    public ConversionResult convert(ConversionRequest request, TrainingListener listener)
            throws IOException, InvalidTrainingDataException, TrainingCancelledException {
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        long started = System.nanoTime();
        Path work = Files.createDirectories(request.workDir());
        GradMode.offForThisThread();
        l.progress(Progress.stage("preprocess"));
        AudioClip clip;
        try {
            clip = AudioDecoder.decode(request.input());
        } catch (UnsupportedAudioException e) {
            throw new InvalidTrainingDataException(request.input().getFileName() + " is not usable audio: " + e.getMessage(), e);
        }
        float[] audio16k = clip.sampleRate() == 16000 ? clip.samples()
                : new Resampler(clip.sampleRate(), 16000).resample(clip.samples());
        audio16k = HighPassFilter.rvc(16000).filter(audio16k);
        try (RvcModel model = RvcModel.load(request.modelZip(), work, options, io.cantor.rvc.RvcTrainer.deviceOf(request.device()))) {
            if (l.isCancelled()) {
                throw new TrainingCancelledException("conversion");
            }
            l.progress(Progress.stage("f0"));
            float[] f0 = F0.shift(io.cantor.rvc.pipeline.PitchTracking.estimator().estimate(audio16k), request.transposeSemitones());
            l.progress(Progress.stage("features"));
            ContentEncoder encoder = model.encoder();
            float[][] features = encoder.encode(audio16k);
            if (model.index() != null && request.indexRate() > 0) {
                l.progress(Progress.stage("index"));
                features = model.index().blend(features, request.indexRate());
            }
            float[][] content = ContentEncoder.upsample(features, f0.length, encoder.dim());
            if (l.isCancelled()) {
                throw new TrainingCancelledException("conversion");
            }
            l.progress(Progress.stage("convert"));
            float[] out = model.synthesizer().synthesize(content, f0, 0, 0);
            double peak = 0;
            for (float v : out) {
                peak = Math.max(peak, Math.abs(v));
            }
            if (peak > 0.99) {
                float scale = (float) (0.99 / peak);
                for (int i = 0; i < out.length; i++) {
                    out[i] *= scale;
                }
            }
            String name = request.input().getFileName().toString();
            Path wav = work.resolve((name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name) + "-converted.wav");
            WavWriter.write(wav, out, model.config().sampleRate(), WavWriter.SampleFormat.PCM_S16);
            int voiced = 0;
            for (float v : f0) {
                voiced += v > 0 ? 1 : 0;
            }
            Map<String, Double> stats = new LinkedHashMap<>();
            stats.put("input_seconds", clip.durationSeconds());
            stats.put("output_seconds", out.length / (double) model.config().sampleRate());
            stats.put("frames", (double) f0.length);
            stats.put("voiced_fraction", f0.length == 0 ? 0 : voiced / (double) f0.length);
            stats.put("transpose_semitones", request.transposeSemitones());
            stats.put("index_rate", request.indexRate());
            stats.put("seconds", (System.nanoTime() - started) / 1e9);
            l.log("convert: " + stats);
            return new ConversionResult(wav, stats);
        }
    }
}
