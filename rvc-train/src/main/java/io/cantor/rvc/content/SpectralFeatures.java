package io.cantor.rvc.content;

import io.cantor.rvc.dsp.MelConfig;
import io.cantor.rvc.dsp.MelSpectrogram;

/**
 * Log-mel analysis of 16 kHz speech shared by the built-in encoders: 80 Slaney mel bands 0..8 kHz,
 * 32 ms windows at 100 frames/s, each band's utterance mean removed (cepstral mean normalisation
 * takes out the recording channel and part of the speaker's spectral tilt), then pairs of frames
 * make one 50 frames/s frame: their mean ({@link #pooled}) or both side by side ({@link #stacked}).
 */
public final class SpectralFeatures {
    public static final int BANDS = 80;
    private static final MelConfig CONFIG = new MelConfig(16000, 512, 160, 512, BANDS, 0, 8000);
    private static final MelSpectrogram MEL = new MelSpectrogram(CONFIG);

    private SpectralFeatures() {
    }

    /** Mean-normalised log-mel at 100 frames/s, padded to an even count of at least two frames. */
    public static float[][] normalisedLogMel(float[] audio16k) {
        float[][] mel = MEL.compute(audio16k);
        int frames = Math.max(2, 2 * ContentEncoder.frames50Hz(audio16k.length));
        float[][] out = new float[frames][BANDS];
        double[] mean = new double[BANDS];
        int voicedish = 0;
        for (float[] frame : mel) {
            for (int b = 0; b < BANDS; b++) {
                mean[b] += frame[b];
            }
            voicedish++;
        }
        for (int b = 0; b < BANDS; b++) {
            mean[b] = voicedish == 0 ? Math.log(1e-5) : mean[b] / voicedish;
        }
        for (int t = 0; t < frames; t++) {
            float[] src = mel.length == 0 ? null : mel[Math.min(t, mel.length - 1)];
            for (int b = 0; b < BANDS; b++) {
                out[t][b] = (float) ((src == null ? mean[b] : src[b]) - mean[b]);
            }
        }
        return out;
    }

    /** {@code [frames50][80]}: means of frame pairs. */
    public static float[][] pooled(float[] audio16k) {
        float[][] mel = normalisedLogMel(audio16k);
        float[][] out = new float[mel.length / 2][BANDS];
        for (int t = 0; t < out.length; t++) {
            for (int b = 0; b < BANDS; b++) {
                out[t][b] = 0.5f * (mel[2 * t][b] + mel[2 * t + 1][b]);
            }
        }
        return out;
    }

    /** {@code [frames50][160]}: frame pairs side by side. */
    public static float[][] stacked(float[] audio16k) {
        float[][] mel = normalisedLogMel(audio16k);
        float[][] out = new float[mel.length / 2][2 * BANDS];
        for (int t = 0; t < out.length; t++) {
            System.arraycopy(mel[2 * t], 0, out[t], 0, BANDS);
            System.arraycopy(mel[2 * t + 1], 0, out[t], BANDS, BANDS);
        }
        return out;
    }
}
