package io.inferlab.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** {@link VectorExp} against {@code Math.exp}: 2 ulp where the result is a normal float, and its stated edges. */
class VectorExpTest {

    @Test
    void within2UlpOfMathExpOverItsWholeRange() {
        int n = 200_001;
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = VectorExp.LOW + (VectorExp.HIGH - VectorExp.LOW) * i / (n - 1);
        }
        float[] e = new float[n];
        VectorExp.exp(y, 0, 1f, 0f, e, 0, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            float expected = (float) Math.exp(y[i]);
            double ulps = Math.abs(expected - e[i]) / Math.ulp(expected);
            worst = Math.max(worst, ulps);
            assertTrue(ulps <= 2, "e^" + y[i] + ": expected " + expected + ", got " + e[i] + " (" + ulps + " ulp)");
        }
        assertTrue(worst > 0, "a polynomial, not Math.exp");
    }

    @Test
    void edgesFlushUnderflowToZeroAndOverflowToInfinity() {
        float[] y = {-1000, -104, -87.5f, VectorExp.LOW - 0.01f, 88.8f, 1000, Float.NEGATIVE_INFINITY,
            Float.POSITIVE_INFINITY, Float.NaN, 0, -0f};
        float[] e = new float[y.length];
        VectorExp.exp(y, 0, 1f, 0f, e, 0, y.length);
        assertArrayEquals(new float[] {0, 0, 0, 0, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, 0,
            Float.POSITIVE_INFINITY, Float.NaN, 1, 1}, e);
    }

    /** {@code e^(sign * x + shift)}, in place or not, and only the {@code n} values asked for (the last vector is masked). */
    @Test
    void signShiftAndRangesInPlace() {
        float[] x = {3, 1, -2, 0.5f, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37};
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = x[i];
        }
        float[] inPlace = x.clone();
        VectorExp.exp(inPlace, 2, -1f, 4f, inPlace, 2, 17); // values 2..18
        float[] apart = new float[x.length + 5];
        Arrays.fill(apart, -7f);
        VectorExp.exp(x, 2, -1f, 4f, apart, 5, 17);
        for (int i = 0; i < x.length; i++) {
            if (i >= 2 && i < 19) {
                float e = (float) Math.exp(-x[i] + 4);
                assertEquals(e, inPlace[i], 2 * Math.ulp(e), "in place, value " + i);
                assertEquals(inPlace[i], apart[i + 3], "apart, value " + i);
            } else {
                assertEquals(expected[i], inPlace[i], "untouched value " + i);
            }
        }
        assertEquals(-7f, apart[0]);
        assertEquals(-7f, apart[apart.length - 1], "nothing written past n");
    }
}
