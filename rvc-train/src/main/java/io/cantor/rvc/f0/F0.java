package io.cantor.rvc.f0;

/**
 * RVC's F0 conventions: tracks in Hz at 100 frames/s on 16 kHz audio (hop 160), 0 meaning
 * unvoiced; the model's pitch embedding takes "coarse" F0, 255 mel-spaced bins between 50 and
 * 1100 Hz ({@code coarse_f0} in RVC's {@code extract_f0_print.py} and {@code pipeline.py}).
 */
public final class F0 {

    public static final int SAMPLE_RATE = 16000;
    public static final int HOP = 160;
    public static final double MIN_HZ = 50.0;
    public static final double MAX_HZ = 1100.0;
    /** RVC's {@code f0_bin}: coarse values run 1..255. */
    public static final int BINS = 256;
    private static final double MEL_MIN = hzToMel(MIN_HZ);
    private static final double MEL_MAX = hzToMel(MAX_HZ);

    private F0() {
    }

    /** The mel scale RVC uses for pitch: {@code 1127 ln(1 + f / 700)}. */
    public static double hzToMel(double hz) {
        return 1127 * Math.log(1 + hz / 700);
    }

    /**
     * RVC's {@code coarse_f0}: mel-scale F0 mapped linearly so 50 Hz is 1 and 1100 Hz is 255, clipped
     * to 1..255 and rounded half to even ({@code np.rint}); unvoiced (0) and anything below 50 Hz give 1.
     */
    public static int[] coarse(float[] f0) {
        int[] out = new int[f0.length];
        for (int i = 0; i < f0.length; i++) {
            double mel = hzToMel(f0[i]);
            if (mel > 0) {
                mel = (mel - MEL_MIN) * (BINS - 2) / (MEL_MAX - MEL_MIN) + 1;
            }
            if (!(mel > 1)) {
                mel = 1; // also catches NaN from negative input below -700 Hz
            }
            if (mel > BINS - 1) {
                mel = BINS - 1;
            }
            out[i] = (int) Math.rint(mel);
        }
        return out;
    }

    /** Transposes by {@code semitones} ({@code f0 *= 2^(key/12)}, RVC's {@code f0_up_key}); 0 stays 0. */
    public static float[] shift(float[] f0, double semitones) {
        double factor = Math.pow(2, semitones / 12.0);
        float[] out = new float[f0.length];
        for (int i = 0; i < f0.length; i++) {
            out[i] = (float) (f0[i] * factor);
        }
        return out;
    }

    /** Number of F0 frames for {@code samples} samples: frame t is centred on sample {@code t * hop}. */
    public static int frameCount(int samples, int hop) {
        return samples / hop + 1;
    }
}
