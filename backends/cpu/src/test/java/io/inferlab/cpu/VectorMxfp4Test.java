package io.inferlab.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;
import io.inferlab.engine.tensor.Tensor;

/**
 * The MXFP4 kernels against the scalar reference over every byte pattern (all 256 values of a
 * nibble pair) under every finite scale byte (0 = 2^-127 .. 254 = 2^127): one 512-value row per
 * scale byte whose 16 blocks hold the bytes 0..255 in order, starting one byte into the segment
 * (unaligned). Decoding is exact; dot products (decode: one token, prefill: a batch of 3) agree
 * within 1e-5 of sum |w * x|, the rounding scale of a sum in another order. Runs at 512, 256 and
 * 128 bits like the other Vector*Test classes.
 */
class VectorMxfp4Test {
    private static final int COLS = 512;
    private static final int SCALES = 255;
    private static final ScalarKernels SCALAR = new ScalarKernels();
    private static VectorKernels kernels;
    private static Arena arena;
    private static MemorySegment rows;

    @BeforeAll
    static void setUp() {
        kernels = new VectorKernels(2);
        arena = Arena.ofShared();
        long rowBytes = GgmlType.MXFP4.bytesFor(COLS);
        rows = arena.allocate(rowBytes * SCALES + 1).asSlice(1);
        for (int e = 0; e < SCALES; e++) {
            for (int b = 0; b < COLS / 32; b++) {
                long block = e * rowBytes + b * 17L;
                rows.set(ValueLayout.JAVA_BYTE, block, (byte) e);
                for (int j = 0; j < 16; j++) {
                    rows.set(ValueLayout.JAVA_BYTE, block + 1 + j, (byte) (b * 16 + j));
                }
            }
        }
    }

    @AfterAll
    static void tearDown() {
        kernels.close();
        arena.close();
    }

    private static Tensor row(int e) {
        long rowBytes = GgmlType.MXFP4.bytesFor(COLS);
        return new Tensor("mxfp4-e" + e, GgmlType.MXFP4, new long[] {COLS, 1}, rows.asSlice(e * rowBytes, rowBytes));
    }

    @Test
    void decodingIsExactForEveryByteAndScale() {
        Tensor all = new Tensor("mxfp4-all", GgmlType.MXFP4, new long[] {COLS, SCALES}, rows);
        float[] expected = new float[COLS];
        float[] actual = new float[COLS];
        for (int e = 0; e < SCALES; e++) {
            SCALAR.getRow(all, e, expected, 0);
            kernels.getRow(all, e, actual, 0);
            for (int i = 0; i < COLS; i++) {
                // +0f folds -0 into 0: the vector decoder yields +0 for E2M1's negative zero.
                assertEquals(expected[i] + 0f, actual[i] + 0f, "scale byte " + e + ", value " + i);
            }
        }
    }

    /**
     * x is scaled by 2^(127 - e) (kept within 2^+-100) so products stay normal floats at every
     * scale. The batched (prefill) path decodes weights to floats first, and under scale bytes 253
     * and 254 the values 4 and 6 times the scale (>= 2^128) do not exist as floats, so that path is
     * checked up to 252; decode (batch 1) and the reference factor the scale out and cover all.
     */
    @Test
    void dotProductsMatchTheReferenceForEveryByteAndScale() {
        SplittableRandom random = new SplittableRandom(39);
        float[] base = TestTensors.floats(3 * COLS, random);
        float[] x = new float[3 * COLS];
        float[] out = new float[3];
        for (int e = 0; e < SCALES; e++) {
            float factor = Math.scalb(1f, Math.clamp(127 - e, -100, 100));
            for (int i = 0; i < x.length; i++) {
                x[i] = base[i] * factor;
            }
            Tensor w = row(e);
            for (int batch : e <= 252 ? new int[] {1, 3} : new int[] {1}) {
                kernels.matmul(w, x, out, batch);
                for (int b = 0; b < batch; b++) {
                    float expected = ScalarKernels.dotRow(w, 0, x, b * COLS);
                    double tolerance = 1e-5 * TestTensors.absDot(w, 0, x, b * COLS);
                    assertTrue(Float.isFinite(expected));
                    assertEquals(expected, out[b], tolerance, "scale byte " + e + ", batch " + batch + ", row " + b);
                }
            }
        }
    }

    /** Weights from the reference quantizer multiply like their dequantized floats. */
    @Test
    void quantizedWeightsMultiplyLikeTheirValues() {
        SplittableRandom random = new SplittableRandom(40);
        int rowsN = 37;
        int cols = 96;
        float[] values = TestTensors.floats(rowsN * cols, random);
        MemorySegment data = arena.allocate(GgmlType.MXFP4.bytesFor((long) rowsN * cols));
        MemorySegment.copy(MemorySegment.ofArray(Quantizer.quantize(GgmlType.MXFP4, values)), 0, data, 0, data.byteSize());
        Tensor w = new Tensor("quantized", GgmlType.MXFP4, new long[] {cols, rowsN}, data);
        float[] x = TestTensors.floats(4 * cols, random);
        float[] out = new float[4 * rowsN];
        kernels.matmul(w, x, out, 4);
        for (int b = 0; b < 4; b++) {
            for (int r = 0; r < rowsN; r++) {
                assertEquals(ScalarKernels.dotRow(w, r, x, b * cols), out[b * rowsN + r], 1e-5 * TestTensors.absDot(w, r, x, b * cols));
            }
        }
    }
}
