package io.inferlab.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorKernels#attend} (through {@link VectorAttention}) against the reference's steps on
 * the same kernels, bit for bit, and against {@link ScalarKernels} within a tolerance: head sizes
 * around every lane count and its groups of four vectors, position counts around its four
 * positions at a time, odd offsets, with and without a sink.
 */
class VectorAttentionTest {
    private static final int[] HEAD_DIMS = {1, 7, 16, 17, 33, 64, 80, 136};
    private static final int[] POSITIONS = {1, 2, 3, 4, 5, 9, 33};

    private static VectorKernels kernels;
    /** {@link #kernels}' own ops, but {@link Kernels#attend}'s reference steps over them. */
    private static Kernels steps;

    @BeforeAll
    static void setUp() {
        kernels = new VectorKernels(1);
        steps = new Kernels() {
            @Override
            public String description() {
                return "reference attend over " + kernels.description();
            }

            @Override
            public void matmul(Tensor w, float[] x, float[] out, int batch) {
                kernels.matmul(w, x, out, batch);
            }

            @Override
            public void getRow(Tensor w, int row, float[] out, int off) {
                kernels.getRow(w, row, out, off);
            }

            @Override
            public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
                return kernels.dot(a, aOff, b, bOff, n);
            }

            @Override
            public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
                kernels.axpy(alpha, x, xOff, y, yOff, n);
            }

            @Override
            public void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps) {
                kernels.rmsnorm(out, outOff, x, xOff, weight, n, eps);
            }

            @Override
            public void softmax(float[] x, int off, int n) {
                kernels.softmax(x, off, n);
            }

            @Override
            public void swiglu(float[] gate, float[] up, int n) {
                kernels.swiglu(gate, up, n);
            }

            @Override
            public void close() {
            }
        };
    }

    @AfterAll
    static void tearDown() {
        kernels.close();
    }

    @Test
    void attendIsTheReferenceStepsBitForBitAndCloseToScalar() {
        SplittableRandom random = new SplittableRandom(11);
        ScalarKernels scalar = new ScalarKernels();
        for (int headDim : HEAD_DIMS) {
            for (int positions : POSITIONS) {
                for (float sink : new float[] {Float.NaN, 0.5f}) {
                    int kvDim = 2 * headDim + 3; // two KV heads and a gap: the second head starts at an odd offset
                    int kvOff = headDim + 1;
                    int first = 2;
                    int last = first + positions - 1;
                    float[] q = TestTensors.floats(headDim + 5, random);
                    float[] keys = TestTensors.floats((last + 2) * kvDim, random);
                    float[] values = TestTensors.floats((last + 2) * kvDim, random);
                    float scale = (float) (1 / Math.sqrt(headDim));
                    String what = "headDim " + headDim + ", " + positions + " positions, sink " + sink;

                    float[] expected = filled(headDim + 7);
                    steps.attend(q, 5, keys, values, kvDim, kvOff, headDim, first, last, scale, sink,
                            new float[positions + 1], expected, 3);
                    float[] actual = filled(headDim + 7);
                    kernels.attend(q, 5, keys, values, kvDim, kvOff, headDim, first, last, scale, sink,
                            new float[positions + 1], actual, 3);
                    assertArrayEquals(expected, actual, what);

                    float[] reference = filled(headDim + 7);
                    scalar.attend(q, 5, keys, values, kvDim, kvOff, headDim, first, last, scale, sink,
                            new float[positions + 1], reference, 3);
                    for (int i = 0; i < reference.length; i++) {
                        // weights sum to at most 1 over values in [-1, 1): the error is that of a few roundings
                        assertEquals(reference[i], actual[i], 1e-5f, what + ", value " + i);
                    }
                }
            }
        }
    }

    /** A marker in every slot, so that a write outside the head's output shows as a difference. */
    private static float[] filled(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 42f);
        return a;
    }
}
