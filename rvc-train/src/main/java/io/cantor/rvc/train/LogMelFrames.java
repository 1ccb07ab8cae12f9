package io.cantor.rvc.train;

import io.cantor.rvc.InvalidTrainingDataException;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Walking-skeleton features: 16 kHz log-mel frames of the voiced parts of some recordings. */
final class LogMelFrames {
    static final int SAMPLE_RATE = 16000;
    private static final int N_FFT = 512;
    private static final int HOP = 160;

    private LogMelFrames() {
    }

    static float[][] of(List<Path> recordings, int melBins) throws IOException, InvalidTrainingDataException {
        double[][] filters = melFilters(melBins);
        List<float[]> frames = new ArrayList<>();
        for (Path recording : recordings) {
            float[] audio = decode(recording);
            double[] window = hann(N_FFT);
            double[] re = new double[N_FFT];
            double[] im = new double[N_FFT];
            for (int start = 0; start + N_FFT <= audio.length; start += HOP) {
                double energy = 0;
                for (int i = 0; i < N_FFT; i++) {
                    re[i] = audio[start + i] * window[i];
                    im[i] = 0;
                    energy += re[i] * re[i];
                }
                if (energy / N_FFT < 1e-6) {
                    continue; // silence teaches the autoencoder nothing
                }
                fft(re, im);
                float[] mel = new float[melBins];
                for (int m = 0; m < melBins; m++) {
                    double sum = 0;
                    for (int k = 0; k <= N_FFT / 2; k++) {
                        sum += filters[m][k] * Math.sqrt(re[k] * re[k] + im[k] * im[k]);
                    }
                    mel[m] = (float) Math.log(Math.max(sum, 1e-5));
                }
                frames.add(mel);
            }
        }
        return frames.toArray(new float[0][]);
    }

    private static float[] decode(Path path) throws IOException, InvalidTrainingDataException {
        try (AudioInputStream source = AudioSystem.getAudioInputStream(path.toFile())) {
            AudioFormat format = source.getFormat();
            AudioFormat pcm = new AudioFormat(format.getSampleRate(), 16, 1, true, false);
            try (AudioInputStream mono = AudioSystem.getAudioInputStream(pcm, source)) {
                byte[] bytes = mono.readAllBytes();
                float[] samples = new float[bytes.length / 2];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8)) / 32768f;
                }
                return resample(samples, (int) format.getSampleRate());
            }
        } catch (UnsupportedAudioFileException | IllegalArgumentException e) {
            throw new InvalidTrainingDataException(path.getFileName() + " is not a readable WAV file", e);
        }
    }

    private static float[] resample(float[] in, int rate) {
        if (rate == SAMPLE_RATE) {
            return in;
        }
        double ratio = (double) rate / SAMPLE_RATE;
        float[] out = new float[(int) (in.length / ratio)];
        for (int i = 0; i < out.length; i++) {
            double pos = i * ratio;
            int j = (int) pos;
            double frac = pos - j;
            out[i] = (float) (in[j] * (1 - frac) + (j + 1 < in.length ? in[j + 1] : 0) * frac);
        }
        return out;
    }

    private static double[] hann(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
        }
        return w;
    }

    private static double[][] melFilters(int bins) {
        double maxMel = hzToMel(SAMPLE_RATE / 2.0);
        double[] centers = new double[bins + 2];
        for (int i = 0; i < centers.length; i++) {
            centers[i] = melToHz(maxMel * i / (bins + 1));
        }
        double[][] filters = new double[bins][N_FFT / 2 + 1];
        for (int m = 0; m < bins; m++) {
            for (int k = 0; k <= N_FFT / 2; k++) {
                double hz = (double) k * SAMPLE_RATE / N_FFT;
                double up = (hz - centers[m]) / (centers[m + 1] - centers[m]);
                double down = (centers[m + 2] - hz) / (centers[m + 2] - centers[m + 1]);
                filters[m][k] = Math.max(0, Math.min(up, down));
            }
        }
        return filters;
    }

    private static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    private static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    private static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double angle = -2 * Math.PI / len;
            for (int i = 0; i < n; i += len) {
                for (int k = 0; k < len / 2; k++) {
                    double wr = Math.cos(angle * k), wi = Math.sin(angle * k);
                    int a = i + k, b = i + k + len / 2;
                    double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr; im[b] = im[a] - xi;
                    re[a] += xr; im[a] += xi;
                }
            }
        }
    }
}
