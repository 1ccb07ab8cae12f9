package io.cantor.rvc.f0;

/**
 * Cleans a raw F0 track: drops voiced runs too short to be real (a few frames of noise passing the
 * threshold), folds octave errors back towards the local median, and median-filters each voiced
 * run over 3 frames. Unvoiced frames (0) stay unvoiced; voiced frames are never made unvoiced
 * except in runs shorter than {@link #MIN_VOICED_RUN}.
 */
public final class F0Smoother {

    /** Voiced runs shorter than this many frames (30 ms) are treated as spurious. */
    public static final int MIN_VOICED_RUN = 3;
    private static final int OCTAVE_CONTEXT = 5;

    private F0Smoother() {
    }

    public static float[] smooth(float[] raw) {
        float[] f0 = raw.clone();
        removeShortRuns(f0);
        fixOctaveJumps(f0);
        return medianOf3(f0);
    }

    static void removeShortRuns(float[] f0) {
        int i = 0;
        while (i < f0.length) {
            if (f0[i] <= 0) {
                i++;
                continue;
            }
            int end = i;
            while (end < f0.length && f0[end] > 0) {
                end++;
            }
            if (end - i < MIN_VOICED_RUN) {
                java.util.Arrays.fill(f0, i, end, 0);
            }
            i = end;
        }
    }

    /** Halves or doubles a frame that sits an octave away from the median of its voiced neighbours. */
    static void fixOctaveJumps(float[] f0) {
        float[] source = f0.clone();
        float[] neighbours = new float[2 * OCTAVE_CONTEXT + 1];
        for (int i = 0; i < f0.length; i++) {
            if (source[i] <= 0) {
                continue;
            }
            int count = 0;
            for (int j = Math.max(0, i - OCTAVE_CONTEXT); j <= Math.min(f0.length - 1, i + OCTAVE_CONTEXT); j++) {
                if (source[j] > 0) {
                    neighbours[count++] = source[j];
                }
            }
            if (count < 3) {
                continue;
            }
            java.util.Arrays.sort(neighbours, 0, count);
            double median = neighbours[count / 2];
            double ratio = source[i] / median;
            if (ratio > 1.8 && ratio < 2.2) {
                f0[i] = source[i] / 2;
            } else if (ratio > 0.45 && ratio < 0.55) {
                f0[i] = source[i] * 2;
            }
        }
    }

    static float[] medianOf3(float[] f0) {
        float[] out = f0.clone();
        for (int i = 1; i + 1 < f0.length; i++) {
            float a = f0[i - 1];
            float b = f0[i];
            float c = f0[i + 1];
            if (a > 0 && b > 0 && c > 0) {
                out[i] = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
            }
        }
        return out;
    }
}
