package io.cantor.rvc.f0;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class F0Test {

    @Test
    void coarseMatchesRvcIncludingEndpoints() {
        float[] hz = {0, 10, 49.9f, 50, 51, 100, 220, 440, 800, 1099, 1100, 1500};
        // numpy: RVC's coarse_f0 on the same values.
        int[] expected = {1, 1, 1, 1, 1, 20, 60, 122, 202, 255, 255, 255};
        assertArrayEquals(expected, F0.coarse(hz));
    }

    @Test
    void coarseIsMonotonicAndCoversAllBins() {
        float[] sweep = new float[10000];
        for (int i = 0; i < sweep.length; i++) {
            sweep[i] = 50 + 1050f * i / (sweep.length - 1);
        }
        int[] c = F0.coarse(sweep);
        boolean[] seen = new boolean[256];
        for (int i = 0; i < c.length; i++) {
            seen[c[i]] = true;
            if (i > 0) {
                assertEquals(true, c[i] >= c[i - 1]);
            }
        }
        for (int b = 1; b <= 255; b++) {
            assertEquals(true, seen[b], "bin " + b);
        }
    }

    @Test
    void shiftTransposesBySemitonesAndKeepsUnvoiced() {
        float[] f0 = {220, 0, 440};
        assertArrayEquals(new float[] {440, 0, 880}, F0.shift(f0, 12), 1e-3f);
        assertArrayEquals(new float[] {110, 0, 220}, F0.shift(f0, -12), 1e-3f);
        assertEquals(220 * Math.pow(2, 7 / 12.0), F0.shift(f0, 7)[0], 1e-3);
    }

    @Test
    void smootherFixesOctaveJumpsAndDropsBlips() {
        float[] f0 = {0, 200, 201, 402, 203, 204, 205, 0, 0, 300, 0, 0, 150, 151, 76, 153, 154};
        float[] s = F0Smoother.smooth(f0);
        assertEquals(201, s[3], 1.5); // 402 folded to 201, then median
        assertEquals(0, s[9]);        // one-frame blip removed
        assertEquals(152, s[14], 1.5); // 76 doubled to 152
        assertEquals(0, s[0]);
        assertEquals(0, s[7]);
    }
}
