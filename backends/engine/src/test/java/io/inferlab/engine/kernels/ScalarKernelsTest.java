package io.inferlab.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import io.inferlab.engine.gguf.GgufFixtures;
import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;
import io.inferlab.engine.tensor.Tensor;

/** The scalar reference kernels against double-precision references and hand-computed values. */
class ScalarKernelsTest {
    private final ScalarKernels k = new ScalarKernels();

    /** A rows x cols tensor of pseudo-random weights in {@code type}'s layout. */
    static Tensor weights(GgmlType type, int rows, int cols, long seed) {
        byte[] data = type == GgmlType.MXFP4 ? GgufFixtures.randomMxfp4(seed, rows * cols / 32)
                : Quantizer.quantize(type, GgufFixtures.randomFloats(seed, rows * cols, 2f));
        return new Tensor("w", type, new long[] {cols, rows}, MemorySegment.ofArray(data));
    }

    /**
     * Tolerance: float sums of n products in index order err by at most about (n + 4) * 2^-24 *
     * sum |w_i x_i| (each product, partial sum, block scale and block sum rounds once).
     */
    private static void assertDotRowMatchesDouble(Tensor w, float[] x, int xOff) {
        int cols = w.cols();
        for (int r = 0; r < w.rows(); r++) {
            double ref = 0;
            double abs = 0;
            for (int c = 0; c < cols; c++) {
                double p = (double) Formats.value(w.type(), w.data(), (long) r * cols + c) * x[xOff + c];
                ref += p;
                abs += Math.abs(p);
            }
            float got = ScalarKernels.dotRow(w, r, x, xOff);
            double tol = (cols + 4) * 0x1p-24 * abs;
            assertEquals(ref, got, tol, w.type() + " row " + r);
        }
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void dotRowEqualsDequantizeThenDotInDouble(GgmlType type) {
        int cols = type.isQuantized() ? 96 : 37; // 3 blocks; an odd row length for the plain types
        int rows = 5;
        Tensor w = weights(type, rows, cols, 100 + type.ordinal());
        float[] x = GgufFixtures.randomFloats(7, cols + 3, 1f);
        assertDotRowMatchesDouble(w, x, 0);
        assertDotRowMatchesDouble(w, x, 3); // unaligned offset into x
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void matmulAndGetRowAgreeWithDotRowAndFormats(GgmlType type) {
        int cols = 64;
        int rows = 3;
        int batch = 2;
        Tensor w = weights(type, rows, cols, 200 + type.ordinal());
        float[] x = GgufFixtures.randomFloats(8, batch * cols, 1f);
        float[] out = new float[batch * rows];
        k.matmul(w, x, out, batch);
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < rows; r++) {
                assertEquals(ScalarKernels.dotRow(w, r, x, b * cols), out[b * rows + r], 0f);
            }
        }
        float[] one = new float[rows];
        k.matvec(w, x, one);
        assertArrayEquals(java.util.Arrays.copyOf(out, rows), one, 0f);

        float[] row = new float[cols + 2];
        k.getRow(w, 2, row, 2);
        for (int c = 0; c < cols; c++) {
            assertEquals(Formats.value(type, w.data(), 2L * cols + c), row[2 + c], 0f);
        }
        assertEquals(0f, row[0]);
        assertEquals(0f, row[1]);
    }

    @Test
    void dotRowOnHandBuiltBlocks() {
        float[] ones = new float[32];
        java.util.Arrays.fill(ones, 1f);

        byte[] q8 = new byte[34];
        q8[1] = 0x38; // d = 0.5
        for (int j = 0; j < 32; j++) {
            q8[2 + j] = (byte) (j + 1);
        }
        assertEquals(0.5f * 528, ScalarKernels.dotRow(new Tensor("q8", GgmlType.Q8_0, new long[] {32}, MemorySegment.ofArray(q8)), 0, ones, 0));

        byte[] q4 = new byte[18];
        q4[1] = 0x3C; // d = 1
        for (int j = 0; j < 16; j++) {
            q4[2 + j] = (byte) (j | (15 - j) << 4); // values j - 8 and 7 - j
        }
        Tensor t4 = new Tensor("q4", GgmlType.Q4_0, new long[] {32}, MemorySegment.ofArray(q4));
        assertEquals(-16f, ScalarKernels.dotRow(t4, 0, ones, 0)); // (120 - 128) + (112 - 120)
        float[] secondHalf = new float[32];
        secondHalf[16] = 1f; // picks value 16: high nibble of byte 0 = 15, minus 8
        assertEquals(7f, ScalarKernels.dotRow(t4, 0, secondHalf, 0));

        byte[] mx = new byte[17];
        mx[0] = (byte) 128; // scale 2
        for (int j = 0; j < 16; j++) {
            mx[1 + j] = (byte) (j | (15 - j) << 4);
        }
        float[] firstEight = new float[32];
        java.util.Arrays.fill(firstEight, 0, 8, 1f);
        Tensor tm = new Tensor("mx", GgmlType.MXFP4, new long[] {32}, MemorySegment.ofArray(mx));
        assertEquals(2 * (0 + 0.5f + 1 + 1.5f + 2 + 3 + 4 + 6), ScalarKernels.dotRow(tm, 0, firstEight, 0));
        float[] v16 = new float[32];
        v16[16] = 1f; // value 16: high nibble of byte 0 = code 15 = -6, times 2
        assertEquals(-12f, ScalarKernels.dotRow(tm, 0, v16, 0));
    }

    @Test
    void dotAndAxpy() {
        float[] a = {9, 1, 2, 3};
        float[] b = {4, 5, 6, 9, 9};
        assertEquals(32f, k.dot(a, 1, b, 0, 3)); // 1*4 + 2*5 + 3*6
        assertEquals(0f, k.dot(a, 0, b, 0, 0));
        float[] y = {7, 1, 1, 1, 7};
        k.axpy(2f, new float[] {0, 1, 2, 3}, 1, y, 1, 3);
        assertArrayEquals(new float[] {7, 3, 5, 7, 7}, y); // untouched outside the range
        k.axpy(-0.5f, new float[] {2, 2}, 0, y, 3, 2);
        assertArrayEquals(new float[] {7, 3, 5, 6, 6}, y);
    }

    @Test
    void rmsnorm() {
        // x = [1, 2, 3, 4]: mean of squares 30 / 4 = 7.5, scale 1 / sqrt(7.5) = 0.3651484.
        float[] x = {99, 1, 2, 3, 4};
        float[] out = new float[6];
        k.rmsnorm(out, 2, x, 1, new float[] {1, 1, 1, 2}, 4, 0f);
        double s = 1 / Math.sqrt(7.5);
        assertEquals(0f, out[0]);
        assertEquals(0f, out[1]);
        assertEquals(s, out[2], 1e-6);
        assertEquals(2 * s, out[3], 1e-6);
        assertEquals(3 * s, out[4], 1e-6);
        assertEquals(8 * s, out[5], 1e-6); // 4 * s * weight 2
        // eps is added to the mean: [3, 4] -> mean 12.5, + 0.5 = 13.
        float[] o2 = new float[2];
        k.rmsnorm(o2, 0, new float[] {3, 4}, 0, new float[] {1, -1}, 2, 0.5f);
        assertEquals(3 / Math.sqrt(13), o2[0], 1e-6);
        assertEquals(-4 / Math.sqrt(13), o2[1], 1e-6);
        // In place works (out == x).
        float[] inPlace = {3, 4};
        k.rmsnorm(inPlace, 0, inPlace, 0, new float[] {1, 1}, 2, 0f);
        assertEquals(3 / Math.sqrt(12.5), inPlace[0], 1e-6);
    }

    @Test
    void softmax() {
        float[] x = {5, 1, 2, 3, 5};
        k.softmax(x, 1, 3);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(5f, x[0]);
        assertEquals(5f, x[4]);
        assertEquals(Math.exp(1) / z, x[1], 1e-7); // 0.09003057
        assertEquals(Math.exp(2) / z, x[2], 1e-7); // 0.24472847
        assertEquals(Math.exp(3) / z, x[3], 1e-7); // 0.66524096
        assertEquals(1.0, x[1] + x[2] + x[3], 1e-6);
        // Stable for large logits, and -infinity gets probability 0.
        float[] big = {1000f, 1000f, Float.NEGATIVE_INFINITY};
        k.softmax(big, 0, 3);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0f}, big);
        float[] single = {-42f};
        k.softmax(single, 0, 1);
        assertEquals(1f, single[0]);
    }

    @Test
    void swiglu() {
        float[] gate = {0f, 1f, -1f, 20f, -100f};
        float[] up = {5f, 2f, 3f, 1f, 1f};
        k.swiglu(gate, up, 4);
        assertEquals(0f, gate[0]);
        assertEquals(2 / (1 + Math.exp(-1)), gate[1], 1e-6); // silu(1) * 2 = 1.4621172
        assertEquals(-3 / (1 + Math.E), gate[2], 1e-6); // silu(-1) * 3 = -0.8068243
        assertEquals(20 / (1 + Math.exp(-20)), gate[3], 1e-5);
        assertEquals(-100f, gate[4]); // beyond n: untouched
        float[] g2 = {-100f};
        k.swiglu(g2, new float[] {1f}, 1);
        assertTrue(!Float.isNaN(g2[0]) && Math.abs(g2[0]) < 1e-30, "silu(-100) is about -3.7e-42: " + g2[0]);
    }

    @Test
    void describesItself() {
        assertEquals("scalar reference", k.description());
        k.close();
    }
}
