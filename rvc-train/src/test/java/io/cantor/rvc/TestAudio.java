package io.cantor.rvc;

import io.cantor.rvc.audio.WavWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/** Synthetic speech-like recordings with known pitch for pipeline tests. */
public final class TestAudio {
    private TestAudio() {
    }

    /**
     * A vowel sequence: harmonics of {@code f0} (with 5 Hz vibrato) shaped by two moving formants
     * scaled by {@code formantScale}, separated by short pauses, at 16 kHz.
     */
    public static float[] voice(double f0, double formantScale, double seconds, long seed) {
        int rate = 16000;
        int n = (int) (rate * seconds);
        float[] out = new float[n];
        Random random = new Random(seed);
        double[][] vowels = {{700, 1200}, {300, 2300}, {500, 900}, {400, 1900}};
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            int syllable = (int) (t / 0.4);
            double inSyllable = t - syllable * 0.4;
            if (inSyllable > 0.32) {
                out[i] = (float) (0.001 * random.nextGaussian());
                continue;
            }
            double[] v = vowels[(syllable + (int) seed) % vowels.length];
            double pitch = f0 * (1 + 0.02 * Math.sin(2 * Math.PI * 5 * t));
            phase += 2 * Math.PI * pitch / rate;
            double s = 0;
            for (int h = 1; h * pitch < 7000; h++) {
                double hz = h * pitch;
                double gain = Math.exp(-Math.pow((hz - v[0] * formantScale) / 150, 2))
                        + 0.5 * Math.exp(-Math.pow((hz - v[1] * formantScale) / 250, 2)) + 0.02;
                s += gain * Math.sin(h * phase);
            }
            double envelope = Math.min(1, Math.min(inSyllable, 0.32 - inSyllable) / 0.02);
            out[i] = (float) (0.2 * envelope * s);
        }
        return out;
    }

    public static Path writeVoice(Path file, double f0, double formantScale, double seconds, long seed) throws IOException {
        WavWriter.write(file, voice(f0, formantScale, seconds, seed), 16000, WavWriter.SampleFormat.PCM_S16);
        return file;
    }
}
