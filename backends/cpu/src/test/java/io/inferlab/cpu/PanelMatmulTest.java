package io.inferlab.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;

import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PanelMatmul#pack} against its definition, value by value: in 16 x 16 squares transposed
 * in registers, it must put every activation exactly where the panels' layout says, in GGML's
 * column order or in the interleaved Q4_0 order. {@link VectorMatmulTest} checks the products.
 */
class PanelMatmulTest {
    /** Two panels, packed in two ranges that split the first panel, as two threads would. */
    private static final int TOKENS = 2 * PanelMatmul.TOKENS;
    private static final int SPLIT = 3 * 16;

    @ParameterizedTest(name = "{0} columns")
    @CsvSource({"16", "48", "2048"})
    void packsEachValueToItsPanelPlace(int cols) {
        assumeTrue(PanelMatmul.applies(TOKENS, cols), "panels need 16 float lanes");
        float[] x = TestTensors.floats(TOKENS * cols, new SplittableRandom(cols));
        assertPacked(x, cols, 0, x);
    }

    /**
     * For an interleaved matrix the whole groups' columns come in {@link InterleavedQ4_0#transpose}'s
     * order, and the blocks after them (1056: two groups and one block) in GGML's.
     */
    @ParameterizedTest(name = "{0} columns")
    @CsvSource({"512", "1056", "2048"})
    void packsInterleavedColumnsInTheTransposedOrder(int cols) {
        assumeTrue(PanelMatmul.applies(TOKENS, cols), "panels need 16 float lanes");
        try (Arena arena = Arena.ofConfined()) {
            Tensor w = TestTensors.random(GgmlType.Q4_0, 2, cols, 0, arena, new SplittableRandom(cols));
            InterleavedQ4_0 copy = InterleavedQ4_0.allocate(w);
            float[] x = TestTensors.floats(TOKENS * cols, new SplittableRandom(cols + 1));
            float[] transposed = new float[x.length];
            copy.transpose(x, 0, TOKENS, transposed);
            assertPacked(x, cols, copy.transposedColumns(), transposed);
        }
    }

    /** Packs {@code x} and checks every value against {@code ordered}, x in the packed column order. */
    private static void assertPacked(float[] x, int cols, int interleavedColumns, float[] ordered) {
        float[] panels = new float[PanelMatmul.packedFloats(TOKENS, cols)];
        PanelMatmul.pack(x, cols, interleavedColumns, panels, 0, SPLIT);
        PanelMatmul.pack(x, cols, interleavedColumns, panels, SPLIT, TOKENS);
        for (int t = 0; t < TOKENS; t++) {
            int panel = t / PanelMatmul.TOKENS * PanelMatmul.TOKENS * cols + t % PanelMatmul.TOKENS;
            for (int c = 0; c < cols; c++) {
                assertEquals(Float.floatToRawIntBits(ordered[t * cols + c]), Float.floatToRawIntBits(panels[panel + c * PanelMatmul.TOKENS]),
                        "token " + t + ", column " + c);
            }
        }
    }
}
