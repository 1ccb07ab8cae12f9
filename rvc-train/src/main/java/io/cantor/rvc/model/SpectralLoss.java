package io.cantor.rvc.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.cantor.rvc.dsp.MelConfig;
import io.cantor.rvc.dsp.MelFilterbank;

/**
 * The generator's reconstruction losses on DJL arrays (differentiable through {@code NDArray.stft}):
 * RVC's log-mel L1 ({@code mel_spectrogram_torch}: reflect pad (n_fft - hop) / 2, no centring,
 * periodic Hann, {@code sqrt(re^2 + im^2 + 1e-6)}, Slaney mel, {@code ln(max(1e-5, x))}), the same
 * definition {@link io.cantor.rvc.dsp.MelSpectrogram} computes on the CPU; and a multi-resolution STFT
 * loss (spectral convergence + log-magnitude L1, Parallel WaveGAN style) at three resolutions.
 */
public final class SpectralLoss implements AutoCloseable {
    /** RVC's {@code c_mel}. */
    public static final float MEL_WEIGHT = 45f;
    public static final float STFT_WEIGHT = 1f;

    private final MelConfig mel;
    private final NDManager manager;
    private final NDArray melBasis; // [bins, mels]
    private final NDArray melWindow;
    private final int[] stftSizes;
    private final NDArray[] stftWindows;

    public SpectralLoss(MelConfig mel, NDManager parent) {
        this.mel = mel;
        this.manager = parent.newSubManager();
        MelFilterbank bank = new MelFilterbank(mel);
        float[] basis = new float[bank.nBins() * bank.nMels()];
        for (int b = 0; b < bank.nBins(); b++) {
            for (int m = 0; m < bank.nMels(); m++) {
                basis[b * bank.nMels() + m] = (float) bank.weight(m, b);
            }
        }
        melBasis = manager.create(basis, new ai.djl.ndarray.types.Shape(bank.nBins(), bank.nMels()));
        melWindow = manager.hanningWindow(mel.winLength());
        int base = Integer.highestOneBit(mel.nFft());
        stftSizes = new int[]{base / 4, base / 2, base};
        stftWindows = new NDArray[stftSizes.length];
        for (int i = 0; i < stftSizes.length; i++) {
            stftWindows[i] = manager.hanningWindow(stftSizes[i]);
        }
    }

    public MelConfig melConfig() {
        return mel;
    }

    /** Log-mel {@code [B, frames, mels]} of waveforms {@code [B, N]}; frames = N / hop. */
    public NDArray logMel(NDArray wave) {
        int pad = (mel.nFft() - mel.hopLength()) / 2;
        long n = wave.getShape().get(1);
        NDArray left = wave.get(":, 1:" + (pad + 1)).flip(1);
        NDArray right = wave.get(":, " + (n - pad - 1) + ":" + (n - 1)).flip(1);
        NDArray padded = NDArrays.concat(new NDList(left, wave, right), 1);
        NDArray spec = padded.stft(mel.nFft(), mel.hopLength(), false, melWindow.toDevice(wave.getDevice(), false), false, false);
        NDArray magnitude = spec.square().sum(new int[]{3}).add(1e-6f).sqrt(); // [B, bins, frames]
        return magnitude.transpose(0, 2, 1).matMul(melBasis.toDevice(wave.getDevice(), false)).maximum(1e-5f).log();
    }

    /** Mean |log-mel difference| (before the x45 weight). */
    public NDArray melL1(NDArray predicted, NDArray target) {
        return logMel(predicted).sub(logMel(target)).abs().mean();
    }

    /** Mean over resolutions of spectral convergence + log-magnitude L1. */
    public NDArray multiResolutionStft(NDArray predicted, NDArray target) {
        NDArray total = null;
        for (int i = 0; i < stftSizes.length; i++) {
            int size = stftSizes[i];
            NDArray window = stftWindows[i].toDevice(predicted.getDevice(), false);
            NDArray p = magnitude(predicted, size, window);
            NDArray t = magnitude(target, size, window);
            NDArray convergence = p.sub(t).square().sum().sqrt().div(t.square().sum().sqrt().add(1e-7f));
            NDArray logMagnitude = p.log().sub(t.log()).abs().mean();
            NDArray term = convergence.add(logMagnitude);
            total = total == null ? term : total.add(term);
        }
        return total.div(stftSizes.length);
    }

    private static NDArray magnitude(NDArray wave, int size, NDArray window) {
        NDArray spec = wave.stft(size, size / 4, true, window, false, false);
        return spec.square().sum(new int[]{3}).maximum(1e-7f).sqrt();
    }

    /** {@code 45 * mel L1 + MR-STFT}; also returns the two parts (detached values) for logging. */
    public NDArray[] total(NDArray predicted, NDArray target) {
        NDArray melL1 = melL1(predicted, target);
        NDArray stft = multiResolutionStft(predicted, target);
        NDArray total = melL1.mul(MEL_WEIGHT).add(stft.mul(STFT_WEIGHT));
        return new NDArray[]{total, melL1, stft};
    }

    @Override
    public void close() {
        manager.close();
    }
}
