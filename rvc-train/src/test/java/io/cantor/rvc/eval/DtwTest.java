package io.cantor.rvc.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DtwTest {

    private static double[][] column(double... v) {
        double[][] out = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = new double[] {v[i]};
        }
        return out;
    }

    @Test
    void alignsARepeatedSequenceAtZeroCost() {
        Dtw.Alignment p = Dtw.align(column(0, 1, 2, 3), column(0, 0, 1, 2, 2, 3), Dtw.UNCONSTRAINED);
        assertEquals(0, p.totalCost(), 0);
        assertArrayEquals(new int[] {0, 0, 1, 2, 2, 3}, p.a());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, p.b());
    }

    @Test
    void sumsDistancesAlongTheCheapestPath() {
        Dtw.Alignment p = Dtw.align(column(0, 0), column(1), Dtw.UNCONSTRAINED);
        assertEquals(2, p.totalCost(), 0);
        assertEquals(2, p.length());
        // 0,5,0 against 0,0: the 5 must be matched to something; cheapest is one cell of cost 5.
        Dtw.Alignment q = Dtw.align(column(0, 5, 0), column(0, 0), Dtw.UNCONSTRAINED);
        assertEquals(5, q.totalCost(), 0);
    }

    @Test
    void aZeroBandForcesTheDiagonal() {
        double[][] a = column(0, 1, 2, 3, 4);
        double[][] b = column(1, 2, 3, 4, 5);
        Dtw.Alignment free = Dtw.align(a, b, Dtw.UNCONSTRAINED);
        Dtw.Alignment diagonal = Dtw.align(a, b, 0);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, diagonal.a());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, diagonal.b());
        assertEquals(5, diagonal.totalCost(), 0);
        assertEquals(2, free.totalCost(), 0); // (0,0) and (4,4) cost 1; the rest match shifted
        assertTrue(free.totalCost() < diagonal.totalCost());
    }

    @Test
    void bandedPathReachesTheEndForVeryDifferentLengths() {
        double[][] a = column(0, 10, 20);
        double[] bv = new double[30];
        for (int j = 0; j < 30; j++) {
            bv[j] = j * 20.0 / 29;
        }
        Dtw.Alignment p = Dtw.align(a, column(bv), 0);
        assertEquals(2, p.a()[p.length() - 1]);
        assertEquals(29, p.b()[p.length() - 1]);
        Dtw.Alignment free = Dtw.align(a, column(bv), Dtw.UNCONSTRAINED);
        assertEquals(free.totalCost(), p.totalCost(), 1e-9);
    }
}
