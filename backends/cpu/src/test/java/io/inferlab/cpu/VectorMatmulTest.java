package io.inferlab.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.model.TinyLlamaFixture;
import io.inferlab.engine.runtime.WeightResidency;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link VectorKernels#matmul} against {@link ScalarKernels} for every weight type, over row
 * counts that leave every kind of remainder (of the 4-row tile, the 16-row thread granule),
 * widths with and without a vector tail, batches on both sides of the decode/prefill split, of
 * the 4-token tile and of the 64-token panel, weights at odd byte offsets.
 *
 * <p>Tolerance: the vector kernels add in a different order (lane-parallel partial sums, two
 * interleaved block accumulators, a butterfly reduction; for batches, weights pre-multiplied by
 * their block scale), so they differ from the index-order scalar sum by rounding only. The
 * rounding error of a float sum scales with the sum of the terms' magnitudes, not with the result
 * (which can cancel to near zero): worst case n * 2^-24 * sum|w*x|, typically sqrt(n) * 2^-24 *
 * sum|w*x|, about 4e-6 * sum|w*x| for the widest rows here (n = 4128). We allow 1e-5 * sum|w*x|;
 * the worst seen is about 2e-7 * sum|w*x|, while a wrong scale or a misplaced value is off by
 * orders of magnitude more.
 */
class VectorMatmulTest {
    private static final int[] ROWS = {1, 3, 17, 67, 257};
    /** 576 and 4128 leave blocks after the last interleaved Q4_0 group (of 8 or 16 blocks); 1024 leaves none. */
    private static final int[] QUANTIZED_COLS = {32, 96, 576, 1024, 4128};
    private static final int[] FLOAT_COLS = {1, 7, 33, 96, 1001, 4128};
    /**
     * With 16 lanes, 64 and up go through {@link PanelMatmul}: whole 64-token panels (64), a last
     * panel of one padded vector (67, 130) or of four (115); below 64, and with fewer lanes,
     * through {@link TileMatmul}; but 2, 3 and 5 quantized tokens go one by one (2 and 3 of
     * Q8_0 and MXFP4, all three of Q4_0: {@code VectorKernels.smallestBatch}).
     */
    private static final int[] BATCHES = {1, 2, 3, 5, 17, 40, 64, 67, 115, 130};
    /** Cases above this many multiply-adds are skipped, to keep the scalar reference quick. */
    private static final long MAX_WORK = 8_000_000;
    private static final double RELATIVE_TOLERANCE = 1e-5;

    private static final ScalarKernels SCALAR = new ScalarKernels();
    private static VectorKernels oneThread;
    private static VectorKernels threeThreads;
    private static Arena arena;

    @BeforeAll
    static void setUp() {
        oneThread = new VectorKernels(1);
        threeThreads = new VectorKernels(3);
        arena = Arena.ofShared();
    }

    @AfterAll
    static void tearDown() {
        oneThread.close();
        threeThreads.close();
        arena.close();
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (GgmlType type : GgmlType.values()) {
            for (int rows : ROWS) {
                for (int cols : type.isQuantized() ? QUANTIZED_COLS : FLOAT_COLS) {
                    for (int batch : BATCHES) {
                        if ((long) rows * cols * batch <= MAX_WORK) {
                            cases.add(Arguments.of(type, rows, cols, batch));
                        }
                    }
                }
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} {1}x{2} batch {3}")
    @MethodSource("cases")
    void matchesScalarReferenceAndIsIndependentOfThreadCount(GgmlType type, int rows, int cols, int batch) {
        SplittableRandom random = new SplittableRandom(rows * 1_000_003L + cols * 31L + batch);
        long misalign = 1 + (rows * 31L + cols + batch) % 13;
        Tensor w = TestTensors.random(type, rows, cols, misalign, arena, random);
        float[] x = TestTensors.floats(batch * cols, random);

        float[] expected = new float[batch * rows];
        SCALAR.matmul(w, x, expected, batch);
        assertMatches(expected, w, x, rows, cols, batch, "");
        // Prepared: wide enough Q4_0 matrices are multiplied from their interleaved copy.
        oneThread.prepare(w);
        threeThreads.prepare(w);
        assertMatches(expected, w, x, rows, cols, batch, " (prepared)");
    }

    private static void assertMatches(float[] expected, Tensor w, float[] x, int rows, int cols, int batch, String what) {
        float[] single = run(oneThread, w, x, rows, batch);
        float[] multi = run(threeThreads, w, x, rows, batch);
        for (int t = 0; t < batch; t++) {
            for (int r = 0; r < rows; r++) {
                int i = t * rows + r;
                double tolerance = RELATIVE_TOLERANCE * TestTensors.absDot(w, r, x, t * cols) + Float.MIN_NORMAL;
                double error = Math.abs((double) single[i] - expected[i]);
                if (!(error <= tolerance)) {
                    throw new AssertionError(String.format("%s%s token %d row %d: vector %s, scalar %s, error %.3g > %.3g",
                            w.name(), what, t, r, single[i], expected[i], error, tolerance));
                }
            }
        }
        // Each result depends only on its row and token, never on which thread computed it.
        assertArrayEquals(single, multi, "1 thread vs 3 threads" + what);
    }

    /** Runs into an output with a NaN guard zone after it, and checks the guard is untouched. */
    private static float[] run(VectorKernels kernels, Tensor w, float[] x, int rows, int batch) {
        float[] out = new float[batch * rows + 7];
        Arrays.fill(out, Float.NaN);
        kernels.matmul(w, x, out, batch);
        for (int i = batch * rows; i < out.length; i++) {
            assertTrue(Float.isNaN(out[i]), "wrote past the output at " + i);
        }
        return Arrays.copyOf(out, batch * rows);
    }

    @Test
    void matvecIsMatmulOfOne() {
        SplittableRandom random = new SplittableRandom(7);
        Tensor w = TestTensors.random(GgmlType.Q8_0, 40, 64, 3, arena, random);
        float[] x = TestTensors.floats(64, random);
        float[] a = new float[40];
        float[] b = new float[40];
        threeThreads.matvec(w, x, a);
        threeThreads.matmul(w, x, b, 1);
        assertArrayEquals(a, b);
    }

    /** Memory of a confined arena may only be read by its owner, so the workers must not touch it. */
    @Test
    void weightsConfinedToTheCallerStillWork() {
        try (Arena confined = Arena.ofConfined()) {
            SplittableRandom random = new SplittableRandom(9);
            Tensor w = TestTensors.random(GgmlType.Q8_0, 67, 96, 1, confined, random);
            float[] x = TestTensors.floats(3 * 96, random);
            assertArrayEquals(run(oneThread, w, x, 67, 3), run(threeThreads, w, x, 67, 3));
            assertArrayEquals(run(oneThread, w, x, 67, 1), run(threeThreads, w, x, 67, 1));
        }
    }

    @Test
    void rejectsShortArraysAndEmptyBatches() {
        SplittableRandom random = new SplittableRandom(8);
        Tensor w = TestTensors.random(GgmlType.Q4_0, 5, 64, 0, arena, random);
        assertThrows(IllegalArgumentException.class, () -> oneThread.matmul(w, new float[2 * 64 - 1], new float[10], 2));
        assertThrows(IllegalArgumentException.class, () -> oneThread.matmul(w, new float[2 * 64], new float[9], 2));
        assertThrows(IllegalArgumentException.class, () -> oneThread.matmul(w, new float[64], new float[5], 0));
    }

    /**
     * Mapped weights are copied into native memory when prepared (and read in place when the
     * kernels are told to): the copy, not the mapping, is what matmul and getRow read, with the
     * same results bit for bit.
     */
    @Test
    void preparedMappedWeightsAreReadFromACopyInMemory(@TempDir Path dir) {
        Path model = new TinyLlamaFixture().type(GgmlType.Q8_0).write(dir.resolve("q8.gguf"));
        try (GgufFile file = GgufFile.open(model);
             VectorKernels inMemory = new VectorKernels(2);
             VectorKernels mapped = new VectorKernels(2, WeightResidency.MAPPED)) {
            Tensor w = file.tensor("blk.0.ffn_down.weight");
            Tensor embedding = file.tensor("token_embd.weight");
            inMemory.prepare(w);
            inMemory.prepareLookup(embedding);
            mapped.prepare(w);
            mapped.prepareLookup(embedding);
            for (Tensor t : new Tensor[] {w, embedding}) {
                assertTrue(t.data().isMapped(), t.name());
                assertFalse(inMemory.weightsRead(t).data().isMapped(), t.name());
                assertEquals(-1, inMemory.weightsRead(t).data().mismatch(t.data()), t.name());
                assertSame(t, mapped.weightsRead(t), t.name());
            }
            float[] x = TestTensors.floats(5 * w.cols(), new SplittableRandom(4));
            assertArrayEquals(run(mapped, w, x, w.rows(), 5), run(inMemory, w, x, w.rows(), 5));
            assertArrayEquals(run(mapped, w, x, w.rows(), 1), run(inMemory, w, x, w.rows(), 1));
            float[] a = new float[embedding.cols()];
            float[] b = new float[embedding.cols()];
            mapped.getRow(embedding, 17, a, 0);
            inMemory.getRow(embedding, 17, b, 0);
            assertArrayEquals(a, b);
            assertTrue(inMemory.description().endsWith(", weights in memory"), inMemory.description());
            assertTrue(mapped.description().endsWith(", weights mapped"), mapped.description());
        }
    }

    @Test
    void saysWhyWeightsStayMapped() {
        WeightResidency tooLarge = WeightResidency.fitting(2_000_000_000L, OptionalLong.of(1_000_000_000L));
        try (VectorKernels kernels = new VectorKernels(1, tooLarge)) {
            assertTrue(kernels.description().endsWith(", weights mapped (2.0 GB of weights, 1.0 GB of memory available)"),
                    kernels.description());
        }
    }

    /**
     * {@link VectorKernels#matmuls} runs a group of matrices with one input as one dispatch
     * (decode, and batches whose matrices take the same packed input: through TileMatmul at 8,
     * through PanelMatmul at 70 where it has 16 lanes) or one by one (batches of mixed inputs or
     * below a type's smallest batch, mixed widths): every output must be bit for bit what
     * {@link VectorKernels#matmul} gives, whatever the mix of interleaved Q4_0, Q8_0 and F32, and
     * however the pool's ranges cut across the matrices' boundaries.
     */
    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {1, 3, 8, 70})
    void aGroupOfMatricesGivesTheBitsOfSeparateProducts(int batch) {
        SplittableRandom random = new SplittableRandom(29);
        int cols = 2 * 32 * Simd.L + 64; // whole groups and a tail of two blocks, where interleaved
        Tensor[][] groups = {
                {TestTensors.random(GgmlType.Q4_0, 40, cols, 0, arena, random), TestTensors.random(GgmlType.Q4_0, 16, cols, 0, arena, random),
                        TestTensors.random(GgmlType.Q4_0, 21, cols, 0, arena, random)},
                {TestTensors.random(GgmlType.Q4_0, 33, cols, 0, arena, random), TestTensors.random(GgmlType.Q8_0, 18, cols, 0, arena, random),
                        TestTensors.random(GgmlType.F32, 7, cols, 0, arena, random)},
                {TestTensors.random(GgmlType.Q8_0, 9, cols, 0, arena, random), TestTensors.random(GgmlType.Q8_0, 12, cols - 32, 0, arena, random)},
                {TestTensors.random(GgmlType.Q8_0, 9, cols, 0, arena, random), TestTensors.random(GgmlType.F32, 7, cols, 0, arena, random),
                        TestTensors.random(GgmlType.Q8_0, 20, cols, 0, arena, random)},
        };
        float[] x = TestTensors.floats(batch * cols, random);
        for (VectorKernels kernels : new VectorKernels[] {oneThread, threeThreads}) {
            for (Tensor[] ws : groups) {
                float[][] together = new float[ws.length][];
                for (int i = 0; i < ws.length; i++) {
                    kernels.prepare(ws[i]);
                    together[i] = new float[batch * ws[i].rows()];
                }
                kernels.matmuls(ws, x, together, batch);
                for (int i = 0; i < ws.length; i++) {
                    float[] alone = new float[batch * ws[i].rows()];
                    kernels.matmul(ws[i], x, alone, batch);
                    assertArrayEquals(alone, together[i], kernels.description() + ", " + ws[i]);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> oneThread.matmuls(groups[0], x, new float[2][], batch));
    }

    /** Q4_0 decode runs one of two kernels ({@link SubnormalOperands}): the compute mode says which. */
    @Test
    void describesTheQ4_0KernelOnceAMatrixIsInterleaved() {
        assumeTrue(Simd.L >= 8, "no interleaving below 8 float lanes");
        try (Arena arena = Arena.ofConfined(); VectorKernels kernels = new VectorKernels(1)) {
            assertFalse(kernels.description().contains("Q4_0"), kernels.description());
            kernels.prepare(TestTensors.random(GgmlType.Q4_0, 4, 32 * Simd.L, 0, arena, new SplittableRandom(3)));
            String kernel = SubnormalOperands.FAST ? "Q4_0 nibbles multiplied as subnormals" : "Q4_0 nibbles converted";
            assertTrue(kernels.description().endsWith(", 1 thread, " + kernel + ", weights in memory"), kernels.description());
        }
    }

    @Test
    void describesVectorShapeAndThreads() {
        assertEquals("Vector API " + Simd.F.vectorBitSize() + "-bit (" + Simd.L + " x f32), 3 threads, weights in memory",
                threeThreads.description());
        assertTrue(oneThread.description().endsWith(", 1 thread, weights in memory"), oneThread.description());
    }
}
