package io.cantor.rvc.dsp;

/**
 * Parameters of RVC's mel spectrogram ({@code infer/lib/train/mel_processing.py}), as in the
 * {@code data} section of RVC's JSON configs. {@code fmax <= 0} means the Nyquist frequency
 * (RVC's {@code mel_fmax: null}).
 */
public record MelConfig(int sampleRate, int nFft, int hopLength, int winLength, int nMels, double fmin, double fmax) {

    /** RVC v2 32 kHz ({@code configs/v2/32k.json}). */
    public static final MelConfig RVC_32K = new MelConfig(32000, 1024, 320, 1024, 80, 0, 0);
    /**
     * RVC v2 40 kHz. RVC trains v2 40k models with {@code configs/v1/40k.json} (there is no v2 40k
     * file), whose {@code n_mel_channels} is 125, not 128.
     */
    public static final MelConfig RVC_40K = new MelConfig(40000, 2048, 400, 2048, 125, 0, 0);
    /** RVC v2 48 kHz ({@code configs/v2/48k.json}). */
    public static final MelConfig RVC_48K = new MelConfig(48000, 2048, 480, 2048, 128, 0, 0);

    public MelConfig {
        if (sampleRate <= 0 || hopLength <= 0 || nMels <= 0) {
            throw new IllegalArgumentException("sampleRate, hopLength and nMels must be positive");
        }
        if (winLength <= 0 || winLength > nFft) {
            throw new IllegalArgumentException("winLength must be in 1..nFft: " + winLength);
        }
        if (fmin < 0 || fmax > 0 && fmax <= fmin) {
            throw new IllegalArgumentException("need 0 <= fmin < fmax");
        }
    }

    /** The RVC v2 preset for a target sample rate (32000, 40000 or 48000). */
    public static MelConfig forRvc(int sampleRate) {
        return switch (sampleRate) {
            case 32000 -> RVC_32K;
            case 40000 -> RVC_40K;
            case 48000 -> RVC_48K;
            default -> throw new IllegalArgumentException("RVC v2 has no config for " + sampleRate + " Hz");
        };
    }

    /** The upper mel edge in Hz, resolving "Nyquist". */
    public double effectiveFmax() {
        return fmax > 0 ? fmax : sampleRate / 2.0;
    }

    public int nBins() {
        return nFft / 2 + 1;
    }
}
