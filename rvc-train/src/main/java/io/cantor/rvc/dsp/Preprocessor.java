package io.cantor.rvc.dsp;

import io.cantor.rvc.audio.AudioClip;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RVC's {@code infer/modules/train/preprocess.py} for one recording: resample to the training rate
 * (RVC's {@code load_audio} does this with ffmpeg), Butterworth high-pass at 48 Hz
 * ({@code lfilter}), {@link Slicer} at silences, cut each slice into {@code per}-second chunks
 * starting every {@code per - overlap} seconds (the remainder, at most {@code per + overlap}
 * seconds, becomes the last chunk), drop chunks whose peak exceeds 2.5, normalise with
 * {@code x / peak * (0.9 * 0.75) + 0.25 * x}, and make a 16 kHz copy of each chunk for HuBERT and F0.
 *
 * <p>Two deliberate differences from RVC, both bugs there: an all-zero chunk is dropped (RVC divides
 * by its zero peak and writes NaNs), and chunks are numbered 0, 1, 2, ... across the recording. RVC
 * increments {@code idx1} before writing a slice's last chunk, so when the next slice starts with a
 * full-length chunk that chunk is written under the same name and the earlier one is lost; here
 * every chunk is kept. Thread-safe.
 */
public final class Preprocessor {

    /** RVC's default chunk length, seconds ({@code per}; 3.0 on GPUs with <= 4 GB). */
    public static final double DEFAULT_PER = 3.7;
    public static final double OVERLAP = 0.3;
    /** Chunks whose absolute peak exceeds this are skipped as broken ("filtered"). */
    public static final double MAX_PEAK = 2.5;
    public static final double NORM_MAX = 0.9;
    public static final double NORM_ALPHA = 0.75;
    public static final int FEATURE_RATE = 16000;

    /**
     * One training chunk at the target rate and at 16 kHz.
     *
     * @param index      position among the recording's kept chunks, from 0
     * @param slice      which {@link Slicer} slice it came from, from 0
     * @param startInSlice first sample within that slice, at the target rate
     */
    public record Chunk(int index, int slice, int startInSlice, float[] samples, float[] samples16k) {
    }

    private final int targetRate;
    private final double per;
    private final Slicer slicer;
    private final Resampler toFeatureRate;
    private final Map<Integer, Resampler> toTargetRate = new ConcurrentHashMap<>();

    public Preprocessor(int targetRate) {
        this(targetRate, DEFAULT_PER);
    }

    public Preprocessor(int targetRate, double per) {
        if (targetRate <= 0 || per <= OVERLAP) {
            throw new IllegalArgumentException("need a positive rate and per > " + OVERLAP);
        }
        this.targetRate = targetRate;
        this.per = per;
        this.slicer = Slicer.rvc(targetRate);
        this.toFeatureRate = new Resampler(targetRate, FEATURE_RATE);
    }

    public int targetRate() {
        return targetRate;
    }

    /** Runs the pipeline on a decoded recording at any sample rate. */
    public List<Chunk> process(AudioClip clip) {
        float[] audio = clip.samples();
        if (clip.sampleRate() != targetRate) {
            audio = toTargetRate.computeIfAbsent(clip.sampleRate(), r -> new Resampler(r, targetRate))
                    .resample(audio);
        }
        return processAtTargetRate(audio);
    }

    /** Runs the pipeline on audio already at the target rate. The input is not modified. */
    public List<Chunk> processAtTargetRate(float[] audio) {
        float[] filtered = HighPassFilter.rvc(targetRate).filter(audio);
        List<Chunk> chunks = new ArrayList<>();
        int sliceIndex = 0;
        double step = targetRate * (per - OVERLAP); // same double expression as RVC, so same truncation
        int chunkLength = (int) (per * targetRate);
        double tail = (per + OVERLAP) * targetRate;
        for (Slicer.Slice slice : slicer.slice(filtered)) {
            float[] s = Arrays.copyOfRange(filtered, slice.start(), slice.end());
            int i = 0;
            while (true) {
                int start = (int) (step * i);
                i++;
                if (s.length - start > tail) {
                    addNormalised(chunks, sliceIndex, start, Arrays.copyOfRange(s, start, start + chunkLength));
                } else {
                    start = Math.min(start, s.length);
                    addNormalised(chunks, sliceIndex, start, Arrays.copyOfRange(s, start, s.length));
                    break;
                }
            }
            sliceIndex++;
        }
        return chunks;
    }

    private void addNormalised(List<Chunk> out, int slice, int start, float[] x) {
        double peak = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak > MAX_PEAK || peak == 0 || x.length == 0) {
            return;
        }
        double gain = NORM_MAX * NORM_ALPHA / peak;
        double keep = 1 - NORM_ALPHA;
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) (x[i] * gain + keep * x[i]);
        }
        out.add(new Chunk(out.size(), slice, start, y, toFeatureRate.resample(y)));
    }
}
