package io.cantor.rvc.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FftTest {

    @Test
    void matchesTheDefiningSumAndInvertsExactly() {
        Random random = new Random(3);
        for (int n : new int[] {4, 8, 16, 64, 512, 2048}) {
            Fft fft = new Fft(n);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = random.nextGaussian();
            }
            double[] re = new double[n / 2 + 1];
            double[] im = new double[n / 2 + 1];
            fft.realForward(x, re, im);
            for (int k = 0; k <= n / 2; k += Math.max(1, n / 64)) {
                double sr = 0;
                double si = 0;
                for (int j = 0; j < n; j++) {
                    sr += x[j] * Math.cos(2 * Math.PI * j * k / n);
                    si -= x[j] * Math.sin(2 * Math.PI * j * k / n);
                }
                assertEquals(sr, re[k], 1e-9 * n, "n=" + n + " Re k=" + k);
                assertEquals(si, im[k], 1e-9 * n, "n=" + n + " Im k=" + k);
            }
            double[] back = new double[n];
            fft.realInverse(re, im, back);
            for (int j = 0; j < n; j++) {
                assertEquals(x[j], back[j], 1e-12, "n=" + n + " sample " + j);
            }
        }
    }

    @Test
    void rejectsSizesThatAreNotPowersOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new Fft(1000));
        assertEquals(1024, Fft.sizeAtLeast(1000));
        assertEquals(1024, Fft.sizeAtLeast(1024));
        assertEquals(4, Fft.sizeAtLeast(1));
    }
}
