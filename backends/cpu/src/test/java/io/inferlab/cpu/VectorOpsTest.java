package io.inferlab.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;

import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The non-matmul ops against {@link ScalarKernels}, with lengths around every lane count (0, 1,
 * 3, 4, 7, 8, 15, 16, 17, 33, 1001, 4099) and odd array offsets. Most ops do the reference's
 * operations per element in the same order and must match it exactly; the ones that sum (dot,
 * rmsnorm's sum of squares) state a tolerance.
 */
class VectorOpsTest {
    private static final int[] LENGTHS = {0, 1, 3, 4, 7, 8, 15, 16, 17, 33, 1001, 4099};

    private static final ScalarKernels SCALAR = new ScalarKernels();
    private static VectorKernels kernels;
    private static Arena arena;

    @BeforeAll
    static void setUp() {
        kernels = new VectorKernels(2);
        arena = Arena.ofShared();
    }

    @AfterAll
    static void tearDown() {
        kernels.close();
        arena.close();
    }

    /** Decoding computes the same single product scale * q as the reference, so it is exact. */
    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void getRowIsExact(GgmlType type) {
        SplittableRandom random = new SplittableRandom(type.ordinal());
        for (int cols : type.isQuantized() ? new int[] {32, 96, 4128} : new int[] {1, 7, 33, 1001, 4128}) {
            Tensor w = TestTensors.random(type, 5, cols, 5, arena, random);
            for (int row = 0; row < 5; row++) {
                float[] expected = new float[cols + 10];
                float[] actual = new float[cols + 10];
                SCALAR.getRow(w, row, expected, 3);
                kernels.getRow(w, row, actual, 3);
                assertValuesEqual(expected, actual, w.name() + " row " + row);
            }
        }
    }

    /** MXFP4 with every exponent byte, including 0 (2^-127) and 255 (the reference's infinity). */
    @Test
    void getRowMxfp4AllExponents() {
        int blocks = 256;
        MemorySegment data = arena.allocate(blocks * 17L + 1).asSlice(1);
        SplittableRandom random = new SplittableRandom(39);
        for (int b = 0; b < blocks; b++) {
            data.set(ValueLayout.JAVA_BYTE, b * 17L, (byte) b);
            for (int j = 1; j < 17; j++) {
                data.set(ValueLayout.JAVA_BYTE, b * 17L + j, (byte) random.nextInt(256));
            }
        }
        Tensor w = new Tensor("mxfp4", GgmlType.MXFP4, new long[] {32, blocks}, data);
        for (int row = 0; row < blocks; row++) {
            float[] expected = new float[32];
            float[] actual = new float[32];
            SCALAR.getRow(w, row, expected, 0);
            kernels.getRow(w, row, actual, 0);
            assertValuesEqual(expected, actual, "exponent " + row);
        }
    }

    /** The vector half-to-float conversion against {@link Float#float16ToFloat} for all 65536 bit patterns. */
    @Test
    void f16ConversionIsExactForEveryHalf() {
        MemorySegment data = arena.allocate(2 * 65536 + 3).asSlice(3);
        for (int h = 0; h < 65536; h++) {
            data.set(Formats.LE_SHORT, 2L * h, (short) h);
        }
        Tensor w = new Tensor("halves", GgmlType.F16, new long[] {65536}, data);
        float[] actual = new float[65536];
        kernels.getRow(w, 0, actual, 0);
        for (int h = 0; h < 65536; h++) {
            float expected = Float.float16ToFloat((short) h);
            String what = "half 0x" + Integer.toHexString(h);
            if (Float.isNaN(expected)) {
                // Whether a signalling NaN comes back quieted is not specified (the JDK does, the
                // hardware conversion may not); NaN payloads carry nothing in weights.
                assertTrue(Float.isNaN(actual[h]), what);
            } else {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual[h]), what);
            }
        }
    }

    @Test
    void getRowRejectsBadRowsAndOffsets() {
        Tensor w = TestTensors.random(GgmlType.F32, 3, 8, 0, arena, new SplittableRandom(1));
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.getRow(w, 3, new float[8], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.getRow(w, 0, new float[8], 1));
    }

    /** Tolerance: a different summation order; error scales with sum|a*b| (see VectorMatmulTest). */
    @Test
    void dot() {
        SplittableRandom random = new SplittableRandom(2);
        for (int n : LENGTHS) {
            float[] a = TestTensors.floats(n + 5, random);
            float[] b = TestTensors.floats(n + 9, random);
            double abs = 0;
            for (int i = 0; i < n; i++) {
                abs += Math.abs((double) a[3 + i] * b[7 + i]);
            }
            float expected = SCALAR.dot(a, 3, b, 7, n);
            float actual = kernels.dot(a, 3, b, 7, n);
            assertEquals(expected, actual, 1e-5 * abs + Float.MIN_NORMAL, "n = " + n);
        }
    }

    /** Multiply then add per element, as the reference: exact. */
    @Test
    void axpy() {
        SplittableRandom random = new SplittableRandom(3);
        for (int n : LENGTHS) {
            float[] x = TestTensors.floats(n + 2, random);
            float[] y = TestTensors.floats(n + 11, random);
            float[] expected = y.clone();
            SCALAR.axpy(0.37f, x, 2, expected, 5, n);
            kernels.axpy(0.37f, x, 2, y, 5, n);
            assertArrayEquals(expected, y, "n = " + n);
        }
    }

    /**
     * The sum of squares is summed in another order (relative error ~1e-6 for these lengths),
     * and so is the scale 1/sqrt(mean + eps) derived from it; the per-element products are the
     * reference's. Hence a relative tolerance of 1e-5 per element.
     */
    @Test
    void rmsnorm() {
        SplittableRandom random = new SplittableRandom(4);
        for (int n : LENGTHS) {
            if (n == 0) {
                continue; // mean of nothing: 0/0 in both, not a case worth pinning
            }
            float[] x = TestTensors.floats(n + 1, random);
            float[] weight = TestTensors.floats(n, random);
            float[] expected = new float[n + 4];
            float[] actual = new float[n + 4];
            SCALAR.rmsnorm(expected, 4, x, 1, weight, n, 1e-5f);
            kernels.rmsnorm(actual, 4, x, 1, weight, n, 1e-5f);
            for (int i = 0; i < n + 4; i++) {
                assertEquals(expected[i], actual[i], 1e-5 * Math.abs(expected[i]) + Float.MIN_NORMAL, "n = " + n + ", i = " + i);
            }
            // In place (out == x) must work too.
            float[] inPlace = Arrays.copyOf(x, n + 1);
            kernels.rmsnorm(inPlace, 1, inPlace, 1, weight, n, 1e-5f);
            for (int i = 0; i < n; i++) {
                assertEquals(expected[4 + i], inPlace[1 + i], 1e-5 * Math.abs(expected[4 + i]) + Float.MIN_NORMAL);
            }
        }
    }

    /**
     * Exp from {@link VectorExp} and a sum in vector lanes: each probability within 1e-5 of the
     * reference's relative to it (plus 1e-37 absolute, for exps the polynomial flushes to 0). The
     * reference sums in index order, whose own rounding error is about 1e-6 at a thousand values;
     * the exps differ by 2 ulp at most. Masked entries (-infinity) are exactly 0, and the
     * results are bit for bit the same run to run.
     */
    @Test
    void softmaxIsCloseToTheReference() {
        SplittableRandom random = new SplittableRandom(5);
        for (int n : IntStream.concat(Arrays.stream(LENGTHS), IntStream.of(2048, 4097)).toArray()) {
            float[] x = TestTensors.floats(n + 3, random);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 20; // a spread that makes the max subtraction matter
            }
            float[] expected = x.clone();
            float[] again = x.clone();
            SCALAR.softmax(expected, 3, n);
            kernels.softmax(x, 3, n);
            kernels.softmax(again, 3, n);
            assertArrayEquals(x, again, "n = " + n + ", twice");
            for (int i = 0; i < x.length; i++) {
                assertEquals(expected[i], x[i], 1e-5 * Math.abs(expected[i]) + 1e-37, "n = " + n + ", value " + i);
            }
        }
        float[] withInfinity = {1, Float.NEGATIVE_INFINITY, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        float[] expected = withInfinity.clone();
        SCALAR.softmax(expected, 0, withInfinity.length);
        kernels.softmax(withInfinity, 0, withInfinity.length);
        assertEquals(0f, withInfinity[1], "masked entry");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], withInfinity[i], 1e-5 * expected[i], "value " + i);
        }
    }

    /**
     * e^-g comes from a polynomial, not {@code Math.exp}: within 4 ulp of the reference's result
     * (the polynomial's 2 ulp, then a division and a multiply), and bit for bit the same however
     * the pool splits the values.
     */
    @Test
    void swigluIsWithin4UlpOfTheReference() {
        SplittableRandom random = new SplittableRandom(6);
        for (int n : IntStream.concat(Arrays.stream(LENGTHS), IntStream.of(1025, 5632 * 3 + 7)).toArray()) {
            float[] gate = TestTensors.floats(n + 4, random);
            float[] up = TestTensors.floats(n + 4, random);
            for (int i = 0; i < gate.length; i++) {
                gate[i] *= 10;
            }
            float[] expected = gate.clone();
            SCALAR.swiglu(expected, up, n);
            float[] shorter = gate.clone();
            kernels.swiglu(gate, up, n);
            assertWithinUlps(expected, gate, 4, "n = " + n);
            int prefix = n * 2 / 3;
            kernels.swiglu(shorter, up, prefix);
            assertArrayEquals(Arrays.copyOf(gate, prefix), Arrays.copyOf(shorter, prefix), "first " + prefix + " of " + n);
        }
    }

    /**
     * Across exp's whole range and past both ends: overflow to infinity (silu's -0), underflow
     * (silu(g) = g), infinities and NaN as the reference has them.
     */
    @Test
    void swigluAtTheEdgesOfExp() {
        float[] special = {-1000, -104, -88.72283f, -88.7228f, -88.5f, -87.5f, -87.33f, -86.7f, -86.643f, -86.6f,
            -20, -1e-3f, -1e-30f, -0f, 0, 1e-30f, 1e-3f, 20, 86.6f, 86.7f, 87.4f, 88.8f, 104, 1000,
            Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, Float.MAX_VALUE, -Float.MAX_VALUE};
        float[] gate = new float[special.length + 2000];
        System.arraycopy(special, 0, gate, 0, special.length);
        for (int i = special.length; i < gate.length; i++) {
            gate[i] = -100 + 200f * (i - special.length) / 2000; // a sweep over exp's range and beyond
        }
        float[] up = new float[gate.length];
        Arrays.fill(up, 1f);
        float[] expected = gate.clone();
        SCALAR.swiglu(expected, up, gate.length);
        kernels.swiglu(gate, up, gate.length);
        assertWithinUlps(expected, gate, 4, "silu");
    }

    /** Each value within {@code ulps} units in the last place of the expected one; NaN matches NaN, infinities and zeros exactly. */
    private static void assertWithinUlps(float[] expected, float[] actual, int ulps, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            boolean ok = Float.isNaN(e) ? Float.isNaN(a)
                    : Float.isInfinite(e) || e == 0 ? Float.compare(e, a) == 0
                    : Math.abs(e - a) <= ulps * Math.ulp(e);
            if (!ok) {
                throw new AssertionError(what + " value " + i + ": expected " + e + ", got " + a + " ("
                        + (Math.abs(e - a) / Math.ulp(e)) + " ulp)");
            }
        }
    }

    /** Equal as numbers: NaN matches NaN, and -0 matches +0 (MXFP4's negative zero decodes as +0). */
    private static void assertValuesEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            boolean same = expected[i] == actual[i] || (Float.isNaN(expected[i]) && Float.isNaN(actual[i]));
            if (!same) {
                throw new AssertionError(what + " value " + i + ": expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    /** Every index runs once, on the pool's workers (numbered below parallelism()), and the call returns after all. */
    @Test
    void parallelForRunsEveryIndexOnceOnThePool() {
        assertEquals(2, kernels.parallelism());
        int n = 101;
        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        Set<Integer> workers = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 20; round++) {
            kernels.parallelFor(n, (worker, i) -> {
                runs.incrementAndGet(i);
                workers.add(worker);
                assertTrue(worker >= 0 && worker < kernels.parallelism(), "worker " + worker);
            });
        }
        for (int i = 0; i < n; i++) {
            assertEquals(20, runs.get(i), "index " + i);
        }
        assertTrue(workers.contains(0), "the caller takes part");
        int[] none = {0};
        kernels.parallelFor(0, (worker, i) -> none[0]++);
        assertEquals(0, none[0]);
    }
}
