package io.cantor.rvc.eval;

/**
 * Mean absolute difference between two log-mel spectrograms {@code [frame][mel]}: RVC's
 * reconstruction loss {@code F.l1_loss(y_mel, y_hat_mel)} (before its {@code c_mel = 45} weight),
 * over the frames both have.
 */
public final class MelDistance {

    private MelDistance() {
    }

    public static double l1(float[][] a, float[][] b) {
        int frames = Math.min(a.length, b.length);
        if (frames == 0) {
            throw new IllegalArgumentException("mel L1 needs non-empty spectrograms");
        }
        int mels = a[0].length;
        if (b[0].length != mels) {
            throw new IllegalArgumentException("mel band counts differ: " + mels + " vs " + b[0].length);
        }
        double sum = 0;
        for (int t = 0; t < frames; t++) {
            float[] x = a[t];
            float[] y = b[t];
            for (int m = 0; m < mels; m++) {
                sum += Math.abs(x[m] - y[m]);
            }
        }
        return sum / ((double) frames * mels);
    }
}
