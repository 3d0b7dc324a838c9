package io.inferlab.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.SplittableRandom;

import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The interleaved Q4_0 layout: which matrices get it, that its rows decode to exactly GGML's
 * values (only their order changes, and the activations' order with them), and that a matrix
 * it cannot represent keeps GGML's layout. {@link VectorMatmulTest} checks the products of
 * prepared matrices against the scalar reference over every shape.
 */
class InterleavedQ4_0Test {
    private Arena arena;

    @BeforeEach
    void setUp() {
        arena = Arena.ofShared();
    }

    @AfterEach
    void tearDown() {
        arena.close();
    }

    @Test
    void appliesToQ4_0WithAWholeGroupOfBlocksOnly() {
        SplittableRandom random = new SplittableRandom(1);
        int wide = 32 * Simd.L;
        assertEquals(Simd.L >= 8, InterleavedQ4_0.applies(TestTensors.random(GgmlType.Q4_0, 3, wide, 0, arena, random)));
        assertFalse(InterleavedQ4_0.applies(TestTensors.random(GgmlType.Q4_0, 3, wide - 32, 0, arena, random)));
        assertFalse(InterleavedQ4_0.applies(TestTensors.random(GgmlType.Q8_0, 3, wide, 0, arena, random)));
        assertThrows(IllegalArgumentException.class,
                () -> InterleavedQ4_0.allocate(TestTensors.random(GgmlType.Q8_0, 3, wide, 0, arena, random)));
    }

    /**
     * Every row decodes to GGML's values bit for bit, in the transposed order: so the batched
     * matmul multiplies the same numbers as on GGML's layout, and only the order of the sum differs.
     */
    @ParameterizedTest(name = "{0} rows x {1} columns")
    @CsvSource({"1, 512", "5, 1024", "4, 576", "3, 4128"})
    void rowsDecodeToGgmlValuesInTransposedOrder(int rows, int cols) {
        assumeTrue(Simd.L >= 8, "no interleaving below 8 float lanes");
        Tensor w = TestTensors.random(GgmlType.Q4_0, rows, cols, 3, arena, new SplittableRandom(rows * 31L + cols));
        InterleavedQ4_0 copy = InterleavedQ4_0.allocate(w);
        copy.packRows(0, rows);
        float[] ggml = new float[rows * cols];
        float[] transposed = new float[rows * cols];
        float[] interleaved = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            RowDecoder.decodeRow(w, r, ggml, r * cols);
            copy.decodeRow(r, interleaved, r * cols, Simd.L);
        }
        copy.transpose(ggml, 0, rows, transposed); // the same permutation as the activations'
        assertArrayEquals(transposed, interleaved);
        for (int i = 0; i < ggml.length; i++) {
            assertEquals(Formats.value(GgmlType.Q4_0, w.data(), i), ggml[i], "GGML decoding at " + i);
        }
    }

    /**
     * The kernels widen block scales with a few integer operations instead of
     * {@link Float#float16ToFloat}: every finite half as a scale (subnormals, zeros and both signs
     * included) must decode to GGML's values bit for bit.
     */
    @Test
    void everyFiniteHalfScaleDecodesToGgmlValues() {
        assumeTrue(Simd.L >= 8, "no interleaving below 8 float lanes");
        int cols = 32 * Simd.L; // one group per row
        int rows = 63488 / Simd.L; // the finite halves, one per block
        Tensor w = TestTensors.random(GgmlType.Q4_0, rows, cols, 0, arena, new SplittableRandom(17));
        int block = 0;
        for (int bits = 0; bits < 1 << 16; bits++) {
            if ((bits & 0x7C00) != 0x7C00) {
                w.data().set(Formats.LE_SHORT, 18L * block++, (short) bits);
            }
        }
        assertEquals(rows * Simd.L, block);
        InterleavedQ4_0 copy = InterleavedQ4_0.allocate(w);
        copy.packRows(0, rows);
        float[] ggml = new float[cols];
        float[] transposed = new float[cols];
        float[] interleaved = new float[cols];
        for (int r = 0; r < rows; r++) {
            RowDecoder.decodeRow(w, r, ggml, 0);
            copy.decodeRow(r, interleaved, 0, Simd.L);
            copy.transpose(ggml, 0, 1, transposed);
            for (int i = 0; i < cols; i++) {
                assertEquals(Float.floatToRawIntBits(transposed[i]), Float.floatToRawIntBits(interleaved[i]), "row " + r + ", value " + i);
            }
        }
    }

    /** Embedding lookups of a matrix tied as output read its interleaved copy: GGML's values in GGML's order. */
    @ParameterizedTest(name = "{0} rows x {1} columns")
    @CsvSource({"1, 512", "5, 1024", "3, 4128"})
    void getRowGivesGgmlValuesInGgmlOrder(int rows, int cols) {
        assumeTrue(Simd.L >= 8, "no interleaving below 8 float lanes");
        Tensor w = TestTensors.random(GgmlType.Q4_0, rows, cols, 3, arena, new SplittableRandom(rows * 7L + cols));
        InterleavedQ4_0 copy = InterleavedQ4_0.allocate(w);
        copy.packRows(0, rows);
        float[] expected = new float[cols + 3];
        float[] actual = new float[cols + 3];
        try (VectorKernels kernels = new VectorKernels(2)) {
            kernels.prepare(w);
            kernels.prepareLookup(w); // tied: the lookup goes to the interleaved copy
            for (int r = 0; r < rows; r++) {
                RowDecoder.decodeRow(w, r, expected, 3);
                copy.getRow(r, actual, 3);
                assertArrayEquals(expected, actual, "row " + r);
                Arrays.fill(actual, 0f);
                kernels.getRow(w, r, actual, 3);
                assertArrayEquals(expected, actual, "kernels, row " + r);
            }
        }
    }

    /**
     * {@link InterleavedQ4_0#matvec} reads two pairs at a time from the two halves of its range,
     * and what is left pair by pair or row by row: each row must come out the same, bit for bit,
     * however the rows are split (odd starts and ends included), and match the scalar reference;
     * with rows of one column slice and of several, the last one narrower.
     */
    @ParameterizedTest(name = "{0} groups and two blocks per row")
    @ValueSource(ints = {2, 9})
    void matvecGivesEachRowTheSameBitsHoweverTheRangeIsSplit(int groups) {
        assumeTrue(Simd.L >= 8, "no interleaving below 8 float lanes");
        SplittableRandom random = new SplittableRandom(13);
        int rows = 23;
        int cols = groups * 32 * Simd.L + 64;
        Tensor w = TestTensors.random(GgmlType.Q4_0, rows, cols, 0, arena, random);
        InterleavedQ4_0 copy = InterleavedQ4_0.allocate(w);
        copy.packRows(0, rows);
        float[] x = TestTensors.floats(cols, random);
        float[] xT = new float[cols];
        float[] bias = new float[copy.biasLength()];
        int unscale = copy.decodeInput(x, xT, bias);
        float[] whole = new float[rows];
        copy.matvec(xT, bias, unscale, whole, 0, rows);

        for (int[] cuts : new int[][] {{0, 1, 23}, {0, 5, 6, 16, 23}, {0, 3, 22, 23}, {0, 7, 8, 9, 10, 11, 20, 23}}) {
            float[] split = new float[rows];
            for (int i = 0; i + 1 < cuts.length; i++) {
                copy.matvec(xT, bias, unscale, split, cuts[i], cuts[i + 1]);
            }
            assertArrayEquals(whole, split, "split at " + Arrays.toString(cuts));
        }
        float[] expected = new float[rows];
        new ScalarKernels().matvec(w, x, expected);
        for (int r = 0; r < rows; r++) {
            assertEquals(expected[r], whole[r], 1e-5 * TestTensors.absDot(w, r, x, 0) + Float.MIN_NORMAL, "row " + r);
        }
    }

    /**
     * {@link InterleavedQ4_0#decodeInput} gathers with vectors what its definition says value by
     * value: every grouped activation transposed and scaled by {@code 2^a} (low values) or the
     * high values' factor, each block's bias {@code -8} times the in-order sum of its biased
     * values over {@code 2^unscale}, the tail copied as it is; bit for bit, at any magnitude.
     */
    @ParameterizedTest(name = "{0} groups, activations of magnitude {1}")
    @CsvSource({"1, 1", "3, 1e-20", "9, 1e30", "2, 0"})
    void decodeInputIsTheScaledTransposeWithEachBlocksBias(int groups, float magnitude) {
        assumeTrue(Simd.L >= 8, "no interleaving below 8 float lanes");
        SplittableRandom random = new SplittableRandom(groups * 7L);
        int cols = groups * 32 * Simd.L + 64;
        Tensor w = TestTensors.random(GgmlType.Q4_0, 2, cols, 0, arena, random);
        InterleavedQ4_0 copy = InterleavedQ4_0.allocate(w);
        float[] x = TestTensors.floats(cols, random);
        for (int i = 0; i < cols; i++) {
            x[i] *= i % 5 == 2 ? magnitude * 0x1p-60f : magnitude;
        }
        float[] xT = new float[cols];
        float[] bias = new float[copy.biasLength()];
        int unscale = copy.decodeInput(x, xT, bias);

        int a = SubnormalOperands.FAST ? 149 - unscale : 0;
        float low = Math.scalb(1f, a);
        float high = SubnormalOperands.FAST ? Math.scalb(1f, a - 4) : 1;
        float[] transposed = new float[cols];
        copy.transpose(x, 0, 1, transposed);
        int grouped = groups * 32 * Simd.L;
        for (int i = 0; i < cols; i++) {
            boolean highValue = i < grouped && i % (32 * Simd.L) / Simd.L >= 16;
            float expected = i < grouped ? transposed[i] * (highValue ? high : low) : x[i];
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(xT[i]), "activation " + i);
        }
        for (int block = 0; block < bias.length; block++) {
            float sum = 0;
            for (int p = 0; p < (SubnormalOperands.FAST ? 32 : 16); p++) {
                sum += x[block * 32 + p];
            }
            assertEquals(Float.floatToRawIntBits(Math.scalb(-8 * sum, -unscale)), Float.floatToRawIntBits(bias[block]), "block " + block);
        }
    }

    /**
     * The decode kernel scales the activations by a power of two chosen from the largest one
     * (see {@link InterleavedQ4_0#decodeInput}): activations near the float range's ends, all
     * zeros, and a mix of magnitudes 2^100 apart must still match the scalar reference.
     */
    @ParameterizedTest(name = "activations of magnitude {0}")
    @ValueSource(floats = {1e-30f, 1e-20f, 1f, 1e20f, 1e36f, 0f}) // smaller, the reference's own products turn subnormal
    void matvecMatchesTheScalarReferenceAtAnyActivationScale(float magnitude) {
        assumeTrue(Simd.L >= 8, "no interleaving below 8 float lanes");
        SplittableRandom random = new SplittableRandom(19);
        int rows = 6;
        int cols = 2 * 32 * Simd.L + 32;
        Tensor w = TestTensors.random(GgmlType.Q4_0, rows, cols, 0, arena, random);
        InterleavedQ4_0 copy = InterleavedQ4_0.allocate(w);
        copy.packRows(0, rows);
        float[] x = TestTensors.floats(cols, random);
        for (int i = 0; i < cols; i++) {
            x[i] *= i % 7 == 3 ? magnitude * 0x1p-100f : magnitude; // some activations far below the largest
        }
        float[] xT = new float[cols];
        float[] bias = new float[copy.biasLength()];
        int unscale = copy.decodeInput(x, xT, bias);
        float[] actual = new float[rows];
        copy.matvec(xT, bias, unscale, actual, 0, rows);
        float[] expected = new float[rows];
        new ScalarKernels().matvec(w, x, expected);
        for (int r = 0; r < rows; r++) {
            assertEquals(expected[r], actual[r], 1e-5 * TestTensors.absDot(w, r, x, 0) + Float.MIN_VALUE, "row " + r);
        }
    }

    @Test
    void packingBySeveralThreadsInAnyOrderGivesTheSameCopy() {
        assumeTrue(Simd.L >= 8, "no interleaving below 8 float lanes");
        Tensor w = TestTensors.random(GgmlType.Q4_0, 7, 576, 0, arena, new SplittableRandom(5));
        InterleavedQ4_0 whole = InterleavedQ4_0.allocate(w);
        whole.packRows(0, 7);
        InterleavedQ4_0 pieces = InterleavedQ4_0.allocate(w);
        pieces.packRows(5, 7);
        pieces.packRows(0, 3);
        pieces.packRows(3, 5);
        float[] a = new float[576];
        float[] b = new float[576];
        for (int r = 0; r < 7; r++) {
            whole.decodeRow(r, a, 0, Simd.L);
            pieces.decodeRow(r, b, 0, Simd.L);
            assertArrayEquals(a, b, "row " + r);
        }
    }

    /** The kernels widen scales without the infinity and NaN case, so such a matrix is not interleaved. */
    @Test
    void aMatrixWithANonFiniteScaleKeepsGgmlLayoutAndItsResults() {
        SplittableRandom random = new SplittableRandom(11);
        Tensor w = TestTensors.random(GgmlType.Q4_0, 4, 32 * 16, 0, arena, random);
        w.data().set(Formats.LE_SHORT, 18L * 5, (short) 0x7C00); // +infinity as block 5's scale
        assertFalse(InterleavedQ4_0.applies(w));
        float[] x = TestTensors.floats(w.cols(), random);
        float[] expected = new float[4];
        float[] actual = new float[4];
        new ScalarKernels().matvec(w, x, expected);
        try (VectorKernels kernels = new VectorKernels(2)) {
            kernels.prepare(w);
            kernels.matvec(w, x, actual);
        }
        assertFalse(Float.isFinite(expected[0]), "row 0 carries the infinite scale: " + expected[0]);
        assertFalse(Float.isFinite(actual[0]), "row 0 carries the infinite scale: " + actual[0]);
        for (int r = 1; r < 4; r++) {
            assertEquals(expected[r], actual[r], Math.abs(expected[r]) * 1e-5, "row " + r);
        }
    }
}
