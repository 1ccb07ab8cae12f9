package io.cantor.rvc.audio;

/**
 * Mono audio as 32-bit floats in [-1, 1) (values outside are kept, not clipped) at a given rate.
 * The array is shared, not copied: callers that mutate it own the consequences.
 */
public record AudioClip(float[] samples, int sampleRate) {

    public AudioClip {
        if (samples == null) {
            throw new IllegalArgumentException("samples must not be null");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
        }
    }

    public int length() {
        return samples.length;
    }

    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }
}
