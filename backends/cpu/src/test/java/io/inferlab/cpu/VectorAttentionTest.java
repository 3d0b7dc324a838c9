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
 * positions at a time, groups of query heads around its four heads at a time, odd offsets, with
 * and without sinks.
 */
class VectorAttentionTest {
    private static final int[] HEAD_DIMS = {1, 7, 16, 17, 33, 64, 80, 136};
    private static final int[] POSITIONS = {1, 2, 3, 4, 5, 9, 33};
    /** Query heads of one KV head: the kernels take four at a time, and the rest one by one. */
    private static final int[] HEADS = {1, 3, 4, 5, 8};

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
                for (int heads : HEADS) {
                    for (boolean withSinks : new boolean[] {false, true}) {
                        int kvDim = 2 * headDim + 3; // two KV heads and a gap: the second head starts at an odd offset
                        int kvOff = headDim + 1;
                        int first = 2;
                        int last = first + positions - 1;
                        float[] q = TestTensors.floats(heads * headDim + 5, random);
                        float[] keys = TestTensors.floats((last + 2) * kvDim, random);
                        float[] values = TestTensors.floats((last + 2) * kvDim, random);
                        float[] sinks = withSinks ? TestTensors.floats(heads + 1, random) : null;
                        float scale = (float) (1 / Math.sqrt(headDim));
                        String what = "headDim " + headDim + ", " + positions + " positions, " + heads + " heads, sinks " + withSinks;

                        float[] expected = attend(steps, q, heads, keys, values, kvDim, kvOff, headDim, first, last, scale, sinks);
                        float[] actual = attend(kernels, q, heads, keys, values, kvDim, kvOff, headDim, first, last, scale, sinks);
                        assertArrayEquals(expected, actual, what);

                        float[] reference = attend(scalar, q, heads, keys, values, kvDim, kvOff, headDim, first, last, scale, sinks);
                        for (int i = 0; i < reference.length; i++) {
                            // weights sum to at most 1 over values in [-1, 1): the error is that of a few roundings
                            assertEquals(reference[i], actual[i], 1e-5f, what + ", value " + i);
                        }
                    }
                }
            }
        }
    }

    /** {@code k}'s attend from query offset 5, sink offset 1 and output offset 3 into a marked buffer. */
    private static float[] attend(Kernels k, float[] q, int heads, float[] keys, float[] values, int kvDim, int kvOff,
                                  int headDim, int first, int last, float scale, float[] sinks) {
        float[] out = filled(heads * headDim + 7);
        k.attend(q, 5, heads, keys, values, kvDim, kvOff, headDim, first, last, scale, sinks, 1,
                new float[heads * (last - first + 2)], out, 3);
        return out;
    }

    /** A marker in every slot, so that a write outside the head's output shows as a difference. */
    private static float[] filled(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 42f);
        return a;
    }
}
