package io.cantor.rvc.audio;

/**
 * What {@link AudioProbe} learns from a file header without decoding the samples.
 *
 * @param container     WAV or FLAC
 * @param encoding      human-readable sample encoding, e.g. "PCM 16-bit", "IEEE float 32-bit"
 * @param sampleRate    samples per second per channel
 * @param channels      channel count
 * @param bitsPerSample bits per sample (the valid bits for WAVE_FORMAT_EXTENSIBLE)
 * @param frames        samples per channel, or -1 when the header does not say
 * @param durationSeconds {@code frames / sampleRate}, or NaN when unknown
 */
public record AudioInfo(Container container, String encoding, int sampleRate, int channels,
                        int bitsPerSample, long frames, double durationSeconds) {

    public enum Container { WAV, FLAC }

    static AudioInfo of(Container container, String encoding, int sampleRate, int channels,
                        int bits, long frames) {
        double duration = frames < 0 ? Double.NaN : frames / (double) sampleRate;
        return new AudioInfo(container, encoding, sampleRate, channels, bits, frames, duration);
    }

    public boolean durationKnown() {
        return frames >= 0;
    }
}
