package io.inferlab.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.SplittableRandom;

import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PanelMatmul#pack} against its definition, value by value: in 16 x 16 squares transposed
 * in registers, it must put every activation exactly where the panels' layout says, in GGML's
 * column order or in the interleaved Q4_0 order, and pad a last vector short of tokens with
 * zeros. {@link VectorMatmulTest} checks the products.
 */
class PanelMatmulTest {
    /** Packed in two ranges that split the first panel, as two threads would. */
    private static final int SPLIT = 3 * PanelMatmul.VECTOR;

    /** 128: two whole panels; 133: five tokens after them; 121: a last panel of 57, its last vector of 9. */
    @ParameterizedTest(name = "{0} columns, {1} tokens")
    @CsvSource({"16, 128", "48, 133", "2048, 128", "2048, 121"})
    void packsEachValueToItsPanelPlace(int cols, int batch) {
        assumeTrue(PanelMatmul.applies(batch, cols), "panels need 16 float lanes");
        float[] x = TestTensors.floats(batch * cols, new SplittableRandom(cols));
        assertPacked(x, batch, cols, 0, x);
    }

    /**
     * For an interleaved matrix the whole groups' columns come in {@link InterleavedQ4_0#transpose}'s
     * order, and the blocks after them (1056: two groups and one block) in GGML's.
     */
    @ParameterizedTest(name = "{0} columns, {1} tokens")
    @CsvSource({"512, 128", "1056, 128", "2048, 128", "1056, 71"})
    void packsInterleavedColumnsInTheTransposedOrder(int cols, int batch) {
        assumeTrue(PanelMatmul.applies(batch, cols), "panels need 16 float lanes");
        try (Arena arena = Arena.ofConfined()) {
            Tensor w = TestTensors.random(GgmlType.Q4_0, 2, cols, 0, arena, new SplittableRandom(cols));
            InterleavedQ4_0 copy = InterleavedQ4_0.allocate(w);
            float[] x = TestTensors.floats(batch * cols, new SplittableRandom(cols + 1));
            float[] transposed = new float[x.length];
            copy.transpose(x, 0, batch, transposed);
            assertPacked(x, batch, cols, copy.transposedColumns(), transposed);
        }
    }

    /**
     * Packs {@code x} into panels full of NaN and checks every place against {@code ordered}, x in
     * the packed column order: zeros for the padding of the last vector.
     */
    private static void assertPacked(float[] x, int batch, int cols, int interleavedColumns, float[] ordered) {
        float[] panels = new float[PanelMatmul.packedFloats(batch, cols)];
        Arrays.fill(panels, Float.NaN);
        float[] padding = new float[PanelMatmul.paddingFloats(cols)];
        Arrays.fill(padding, Float.NaN);
        PanelMatmul.pack(x, batch, cols, interleavedColumns, panels, 0, SPLIT, padding);
        PanelMatmul.pack(x, batch, cols, interleavedColumns, panels, SPLIT, batch, padding);
        int vectors = (batch + PanelMatmul.VECTOR - 1) / PanelMatmul.VECTOR;
        for (int t = 0; t < vectors * PanelMatmul.VECTOR; t++) {
            int panel = t / PanelMatmul.TOKENS * PanelMatmul.TOKENS * cols + t % PanelMatmul.TOKENS;
            for (int c = 0; c < cols; c++) {
                float expected = t < batch ? ordered[t * cols + c] : 0f;
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(panels[panel + c * PanelMatmul.TOKENS]),
                        "token " + t + ", column " + c);
            }
        }
    }
}
