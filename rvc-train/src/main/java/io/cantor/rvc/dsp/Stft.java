package io.cantor.rvc.dsp;

/**
 * Magnitude short-time Fourier transform exactly as RVC's {@code spectrogram_torch}: reflect-pad
 * {@code (n_fft - hop) / 2} samples on both sides, frames every {@code hop} samples with no further
 * centring ({@code center=False}), periodic Hann window of {@code win_length} centred in
 * {@code n_fft}, and magnitude {@code sqrt(re^2 + im^2 + 1e-6)}.
 * Thread-safe: all state is immutable; scratch buffers are per call.
 */
public final class Stft {

    private final int nFft;
    private final int hop;
    private final double[] window;
    private final Fft fft;

    public Stft(int nFft, int hopLength, int winLength) {
        this.nFft = nFft;
        this.hop = hopLength;
        this.fft = new Fft(nFft);
        this.window = new double[nFft];
        // torch.hann_window(win, periodic=True), zero-padded to n_fft and centred as torch.stft does.
        int left = (nFft - winLength) / 2;
        for (int i = 0; i < winLength; i++) {
            window[left + i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / winLength);
        }
    }

    public int nFft() {
        return nFft;
    }

    public int hopLength() {
        return hop;
    }

    public int nBins() {
        return nFft / 2 + 1;
    }

    /** Samples of reflect padding on each side. */
    public int padding() {
        return (nFft - hop) / 2;
    }

    /** Number of frames RVC produces for {@code n} samples. */
    public int frameCount(int n) {
        int padded = n + 2 * padding();
        return padded < nFft ? 0 : 1 + (padded - nFft) / hop;
    }

    /** Magnitude spectrogram, {@code [frame][bin]}, bins 0..n_fft/2. */
    public float[][] magnitude(float[] x) {
        int frames = frameCount(x.length);
        float[][] out = new float[frames][];
        double[] frame = new double[nFft];
        double[] re = new double[nFft / 2 + 1];
        double[] im = new double[nFft / 2 + 1];
        int pad = padding();
        for (int t = 0; t < frames; t++) {
            int start = t * hop - pad;
            loadFrame(x, start, frame);
            fft.realForward(frame, re, im);
            float[] mag = new float[re.length];
            for (int k = 0; k < mag.length; k++) {
                mag[k] = (float) Math.sqrt(re[k] * re[k] + im[k] * im[k] + 1e-6);
            }
            out[t] = mag;
        }
        return out;
    }

    /** Copies the windowed frame starting at {@code start} (may be negative), reflecting at the edges. */
    private void loadFrame(float[] x, int start, double[] frame) {
        int n = x.length;
        if (start >= 0 && start + nFft <= n) {
            for (int i = 0; i < nFft; i++) {
                frame[i] = x[start + i] * window[i];
            }
            return;
        }
        for (int i = 0; i < nFft; i++) {
            frame[i] = x[reflect(start + i, n)] * window[i];
        }
    }

    /** numpy/torch "reflect" indexing (edge sample not repeated), extended periodically for short inputs. */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int j = Math.floorMod(i, period);
        return j < n ? j : period - j;
    }
}
