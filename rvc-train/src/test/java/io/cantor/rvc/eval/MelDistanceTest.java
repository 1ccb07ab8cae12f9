package io.cantor.rvc.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MelDistanceTest {

    @Test
    void isTheMeanAbsoluteDifferenceOverCommonFrames() {
        float[][] a = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
        float[][] b = {{1.5f, 1.5f, 3}, {4, 5, 7}};
        // |diffs| over the two common frames: 0.5 0.5 0 0 0 1 -> 2 / 6
        assertEquals(2.0 / 6, MelDistance.l1(a, b), 1e-9);
        assertEquals(0, MelDistance.l1(a, a), 0);
        assertThrows(IllegalArgumentException.class, () -> MelDistance.l1(a, new float[][] {{1, 2}}));
    }
}
