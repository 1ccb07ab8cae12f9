package io.cantor.rvc.dsp;

import java.util.ArrayList;
import java.util.List;

/**
 * A line-by-line port of RVC's {@code infer/lib/slicer2.py}: splits a recording at silences, keeping
 * at most {@code max_sil_kept} of silence around each cut. Silence is judged on RMS frames (window
 * {@code min(min_interval, 4*hop)}, zero-padded by half a window, as librosa's {@code feature.rms}).
 * Rounding follows Python's {@code round} (half to even), and quirks are kept on purpose so that
 * slice boundaries match RVC's sample for sample; for instance the early exit compares the sample
 * count with {@code min_length}, which is in frames.
 */
public final class Slicer {

    /** A slice of the input, samples {@code [start, end)}. */
    public record Slice(int start, int end) {
        public int length() {
            return end - start;
        }
    }

    private final double threshold;
    private final int hopSize;
    private final int winSize;
    private final int minLength;
    private final int minInterval;
    private final int maxSilKept;

    /**
     * Same parameters as RVC's {@code Slicer}: threshold in dBFS, the rest in milliseconds.
     */
    public Slicer(int sampleRate, double thresholdDb, int minLengthMs, int minIntervalMs, int hopSizeMs,
                  int maxSilKeptMs) {
        if (!(minLengthMs >= minIntervalMs && minIntervalMs >= hopSizeMs)) {
            throw new IllegalArgumentException(
                    "The following condition must be satisfied: min_length >= min_interval >= hop_size");
        }
        if (!(maxSilKeptMs >= hopSizeMs)) {
            throw new IllegalArgumentException("The following condition must be satisfied: max_sil_kept >= hop_size");
        }
        double minIntervalSamples = (double) sampleRate * minIntervalMs / 1000;
        this.threshold = Math.pow(10, thresholdDb / 20.0);
        this.hopSize = (int) Math.rint((double) sampleRate * hopSizeMs / 1000);
        this.winSize = (int) Math.min(Math.rint(minIntervalSamples), 4L * hopSize);
        this.minLength = (int) Math.rint((double) sampleRate * minLengthMs / 1000 / hopSize);
        this.minInterval = (int) Math.rint(minIntervalSamples / hopSize);
        this.maxSilKept = (int) Math.rint((double) sampleRate * maxSilKeptMs / 1000 / hopSize);
    }

    /** RVC preprocess's slicer: -42 dB, 1500 ms, 400 ms, 15 ms hop, 500 ms kept. */
    public static Slicer rvc(int sampleRate) {
        return new Slicer(sampleRate, -42, 1500, 400, 15, 500);
    }

    public int hopSize() {
        return hopSize;
    }

    public int winSize() {
        return winSize;
    }

    /** RMS per frame, as slicer2's {@code get_rms(y, frame_length=win_size, hop_length=hop_size)}. */
    public double[] rms(float[] y) {
        int pad = winSize / 2;
        long padded = (long) y.length + 2L * pad;
        if (padded < winSize) {
            return new double[0];
        }
        int frames = (int) (1 + (padded - winSize) / hopSize);
        double[] out = new double[frames];
        for (int t = 0; t < frames; t++) {
            int from = Math.max(0, t * hopSize - pad);
            int to = Math.min(y.length, t * hopSize - pad + winSize);
            double sum = 0;
            for (int i = from; i < to; i++) {
                double v = y[i];
                sum += v * v;
            }
            out[t] = Math.sqrt(sum / winSize);
        }
        return out;
    }

    /** Slices {@code samples}; returns sample ranges in order (possibly one range covering everything). */
    public List<Slice> slice(float[] samples) {
        List<Slice> whole = List.of(new Slice(0, samples.length));
        if (samples.length <= minLength) {
            return whole;
        }
        double[] rmsList = rms(samples);
        List<int[]> silTags = new ArrayList<>();
        int silenceStart = -1;
        int clipStart = 0;
        for (int i = 0; i < rmsList.length; i++) {
            // Keep looping while frame is silent.
            if (rmsList[i] < threshold) {
                if (silenceStart < 0) {
                    silenceStart = i;
                }
                continue;
            }
            // Keep looping while frame is not silent and silence start has not been recorded.
            if (silenceStart < 0) {
                continue;
            }
            // Clear recorded silence start if interval is not enough or clip is too short.
            boolean isLeadingSilence = silenceStart == 0 && i > maxSilKept;
            boolean needSliceMiddle = i - silenceStart >= minInterval && i - clipStart >= minLength;
            if (!isLeadingSilence && !needSliceMiddle) {
                silenceStart = -1;
                continue;
            }
            // Need slicing. Record the range of silent frames to be removed.
            if (i - silenceStart <= maxSilKept) {
                int pos = argmin(rmsList, silenceStart, i + 1);
                if (silenceStart == 0) {
                    silTags.add(new int[] {0, pos});
                } else {
                    silTags.add(new int[] {pos, pos});
                }
                clipStart = pos;
            } else if (i - silenceStart <= maxSilKept * 2) {
                int pos = argmin(rmsList, i - maxSilKept, silenceStart + maxSilKept + 1);
                int posL = argmin(rmsList, silenceStart, silenceStart + maxSilKept + 1);
                int posR = argmin(rmsList, i - maxSilKept, i + 1);
                if (silenceStart == 0) {
                    silTags.add(new int[] {0, posR});
                    clipStart = posR;
                } else {
                    silTags.add(new int[] {Math.min(posL, pos), Math.max(posR, pos)});
                    clipStart = Math.max(posR, pos);
                }
            } else {
                int posL = argmin(rmsList, silenceStart, silenceStart + maxSilKept + 1);
                int posR = argmin(rmsList, i - maxSilKept, i + 1);
                if (silenceStart == 0) {
                    silTags.add(new int[] {0, posR});
                } else {
                    silTags.add(new int[] {posL, posR});
                }
                clipStart = posR;
            }
            silenceStart = -1;
        }
        // Deal with trailing silence.
        int totalFrames = rmsList.length;
        if (silenceStart >= 0 && totalFrames - silenceStart >= minInterval) {
            int silenceEnd = Math.min(totalFrames, silenceStart + maxSilKept);
            int pos = argmin(rmsList, silenceStart, silenceEnd + 1);
            silTags.add(new int[] {pos, totalFrames + 1});
        }
        // Apply and return slices.
        if (silTags.isEmpty()) {
            return whole;
        }
        List<Slice> chunks = new ArrayList<>();
        if (silTags.get(0)[0] > 0) {
            chunks.add(apply(samples.length, 0, silTags.get(0)[0]));
        }
        for (int i = 0; i < silTags.size() - 1; i++) {
            chunks.add(apply(samples.length, silTags.get(i)[1], silTags.get(i + 1)[0]));
        }
        if (silTags.get(silTags.size() - 1)[1] < totalFrames) {
            chunks.add(apply(samples.length, silTags.get(silTags.size() - 1)[1], totalFrames));
        }
        return chunks;
    }

    /** {@code waveform[begin*hop : min(len, end*hop)]}, empty (not negative) when begin passes end. */
    private Slice apply(int n, int begin, int end) {
        int from = (int) Math.min(n, (long) begin * hopSize);
        int to = (int) Math.min(n, (long) end * hopSize);
        return new Slice(from, Math.max(from, to));
    }

    /** numpy {@code a[from:to].argmin() + from}, with Python's clipping of {@code to}; first minimum wins. */
    private static int argmin(double[] a, int from, int to) {
        to = Math.min(to, a.length);
        int best = from;
        for (int i = from + 1; i < to; i++) {
            if (a[i] < a[best]) {
                best = i;
            }
        }
        return best;
    }
}
