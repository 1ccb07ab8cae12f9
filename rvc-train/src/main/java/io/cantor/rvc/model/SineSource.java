package io.cantor.rvc.model;

import java.util.Random;

/**
 * RVC's NSF excitation ({@code SineGen}): per output sample, sines at the F0 and its overtones with a
 * continuous phase, amplitude 0.1 for the fundamental where voiced, plus Gaussian noise (std 0.003
 * where voiced, 0.1/3 where unvoiced). Overtone k has amplitude 0.1/k (a sawtooth-like -6 dB/octave
 * tilt, nearer a glottal source than RVC's equal amplitudes): with equal amplitudes and many
 * overtones the generator's output kept a weak fundamental and YIN measured octave errors on it. Built on the CPU in double precision, so long conversions keep their phase
 * accurate; the generator's {@code source_merge} mixes the channels ({@code l_linear} + tanh).
 * Overtones above Nyquist are left silent so the source never aliases.
 */
public final class SineSource {
    public static final double SINE_AMPLITUDE = 0.1;
    public static final double VOICED_NOISE = 0.003;

    private SineSource() {
    }

    /**
     * @param f0         Hz per 100 Hz frame, 0 = unvoiced
     * @param from       first frame
     * @param frames     frames to render (past the end of {@code f0} counts as unvoiced)
     * @param hop        output samples per frame
     * @param harmonics  overtones besides the fundamental
     * @return {@code [harmonics + 1][frames * hop]}
     */
    public static float[][] render(float[] f0, int from, int frames, int hop, int sampleRate, int harmonics, Random random) {
        int n = frames * hop;
        int channels = harmonics + 1;
        float[][] out = new float[channels][n];
        double[] phase = new double[channels];
        for (int h = 1; h < channels; h++) {
            phase[h] = random.nextDouble(); // RVC randomises the overtones' initial phase
        }
        double nyquist = sampleRate / 2.0;
        for (int i = 0; i < n; i++) {
            double hz = f0At(f0, from, i, hop);
            boolean voiced = hz > 0;
            for (int h = 0; h < channels; h++) {
                double value;
                if (voiced) {
                    double overtone = hz * (h + 1);
                    phase[h] += overtone / sampleRate;
                    phase[h] -= Math.floor(phase[h]);
                    value = overtone < nyquist ? SINE_AMPLITUDE / (h + 1) * Math.sin(2 * Math.PI * phase[h]) : 0;
                    value += VOICED_NOISE * random.nextGaussian();
                } else {
                    value = SINE_AMPLITUDE / 3 * random.nextGaussian();
                }
                out[h][i] = (float) value;
            }
        }
        return out;
    }

    /** F0 at output sample {@code i}: linear between frame centres inside a voiced run, else the frame's own value. */
    static double f0At(float[] f0, int from, int i, int hop) {
        double position = (double) i / hop;
        int frame = (int) position;
        double here = valueAt(f0, from + frame);
        double next = valueAt(f0, from + frame + 1);
        if (here > 0 && next > 0) {
            double frac = position - frame;
            return here + (next - here) * frac;
        }
        return here;
    }

    private static double valueAt(float[] f0, int index) {
        return index >= 0 && index < f0.length ? f0[index] : 0;
    }
}
