package io.cantor.rvc.dsp;

/**
 * RVC's training mel spectrogram ({@code mel_spectrogram_torch}): {@link Stft} magnitude, Slaney mel
 * filterbank ({@link MelFilterbank}), then natural log with a floor of 1e-5
 * ({@code spectral_normalize_torch}). Output layout is {@code [frame][mel]} (RVC/torch uses
 * {@code [mel][frame]}). Thread-safe.
 */
public final class MelSpectrogram {

    /** {@code dynamic_range_compression_torch}'s {@code clip_val}. */
    public static final double LOG_FLOOR = 1e-5;

    private final MelConfig config;
    private final Stft stft;
    private final MelFilterbank filterbank;

    public MelSpectrogram(MelConfig config) {
        this.config = config;
        this.stft = new Stft(config.nFft(), config.hopLength(), config.winLength());
        this.filterbank = new MelFilterbank(config);
    }

    public MelConfig config() {
        return config;
    }

    public MelFilterbank filterbank() {
        return filterbank;
    }

    public int frameCount(int samples) {
        return stft.frameCount(samples);
    }

    /** Log-mel spectrogram {@code [frame][mel]} of {@code x} (expected at {@code config.sampleRate()}). */
    public float[][] compute(float[] x) {
        float[][] mag = stft.magnitude(x);
        float[][] out = new float[mag.length][];
        double[] mel = new double[filterbank.nMels()];
        for (int t = 0; t < mag.length; t++) {
            filterbank.apply(mag[t], mel);
            float[] row = new float[mel.length];
            for (int m = 0; m < mel.length; m++) {
                row[m] = (float) Math.log(Math.max(LOG_FLOOR, mel[m]));
            }
            out[t] = row;
        }
        return out;
    }
}
