package io.cantor.rvc.pipeline;

/**
 * One preprocessed training chunk with its frame-level features, all at 100 frames/s.
 *
 * @param recording file name it came from
 * @param speaker   index into the model's speaker list
 * @param audio     waveform at the model's rate, exactly {@code frames * hop} samples
 * @param audio16k  the 16 kHz copy features and F0 were computed from
 * @param f0        Hz per frame, 0 = unvoiced
 * @param content   content features per frame
 * @param features  content features at 50 frames/s (what the retrieval index holds)
 */
public record TrainingChunk(String recording, int speaker, float[] audio, float[] audio16k, float[] f0,
                            float[][] content, float[][] features) {
    public int frames() {
        return f0.length;
    }

    public int voicedFrames() {
        int n = 0;
        for (float v : f0) {
            if (v > 0) {
                n++;
            }
        }
        return n;
    }
}
