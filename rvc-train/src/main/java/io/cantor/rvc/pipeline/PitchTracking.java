package io.cantor.rvc.pipeline;

import io.cantor.rvc.f0.YinPitchEstimator;

/**
 * The F0 estimator the pipeline trains, converts and evaluates with: YIN at RVC's frame rate
 * (16 kHz, hop 160, 50..1100 Hz) with an absolute threshold of 0.25 instead of the paper's 0.1.
 * At 0.1, rough or breathy voiced speech (measured: espeak-ng's male voices, 10-35 % of frames
 * voiced at 0.1 against 43-55 % at 0.25) is marked unvoiced, and the generator then renders those
 * frames from noise; 0.25 sits inside the range pYIN's threshold prior covers and aubio's default
 * (0.3). {@link io.cantor.rvc.f0.F0Smoother} still drops isolated voiced frames.
 */
public final class PitchTracking {
    public static final double THRESHOLD = 0.25;

    private PitchTracking() {
    }

    public static YinPitchEstimator estimator() {
        return new YinPitchEstimator(16000, 160, 50, 1100, THRESHOLD, YinPitchEstimator.DEFAULT_SILENCE_DB);
    }
}
