package io.inferlab.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.jocl.cl_mem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.sampling.Sampler;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;

/**
 * Each OpenCL kernel against its scalar reference ({@link ScalarKernels}, {@link Rope},
 * {@link Sampler#argmax}) on the real device, over shapes with odd tails (columns not a multiple
 * of the 8-value chunks, rows and batches not a multiple of the lane count or the matmul tile)
 * and non-zero buffer offsets. Tolerances are stated per op where the device adds in another
 * order; data movement, RoPE and the residual add must match exactly.
 */
@EnabledIf(value = "io.inferlab.opencl.OpenClTestDevice#available", disabledReason = OpenClTestDevice.SKIP_REASON)
class OpenClOpsTest extends DeviceKernelTest {
    /**
     * Dot products (matvec, matmul): |device - reference| <= 1e-5 * sum_c |w_c x_c|. Both sum in
     * float, in different orders (lanes, 8-wide chunks, a tree); the rounding error of such a
     * sum is a few units of 6e-8 times the sum of magnitudes times sqrt(n) in practice.
     */
    static final double DOT_TOLERANCE = 1e-5;
    /** RMSNorm, softmax-weighted attention, SwiGLU: relative to the value's magnitude (plus 1e-6 absolute). */
    static final double ELEMENT_TOLERANCE = 2e-6;
    /** Attention: a softmax and a weighted sum of values in [-1, 1] over up to 50 positions. */
    static final double ATTENTION_TOLERANCE = 1e-5;

    static Stream<Arguments> matmulShapes() {
        List<Arguments> shapes = new ArrayList<>();
        for (GgmlType t : List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16)) {
            for (int cols : new int[] {1, 7, 8, 67, 173, 520}) {
                shapes.add(Arguments.of(t, 13, cols, false));
            }
            shapes.add(Arguments.of(t, 70, 2051, false));
        }
        // Quantized types in both layouts: whole blocks per lane (CPU devices) and 8 lanes per block (GPUs).
        for (GgmlType t : List.of(GgmlType.Q8_0, GgmlType.Q4_0)) {
            for (boolean split : new boolean[] {false, true}) {
                for (int cols : new int[] {32, 96, 160, 64 * 32 + 32 * 3}) { // 1, 3, 5 and 67 blocks
                    shapes.add(Arguments.of(t, 13, cols, split));
                }
                shapes.add(Arguments.of(t, 70, 2048, split));
            }
        }
        return shapes.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2} split={3}")
    @MethodSource("matmulShapes")
    void matvecAndMatmulMatchTheScalarReference(GgmlType type, int rows, int cols, boolean split) {
        OpenClOps ops = new OpenClOps(arena, split);
        SplittableRandom random = new SplittableRandom(rows * 31L + cols + type.ordinal());
        Tensor w = OpenClTestDevice.tensor(type, rows, cols, random);
        DeviceTensor dw;
        try (Arena host = Arena.ofConfined()) {
            // Native bytes, as from a mapped file (the upload path the backend uses).
            dw = new DeviceTensor(w.name(), type, rows, cols, arena.upload(w.name(), OpenClTestDevice.nativeCopy(w, host)));
        }
        for (int batch : new int[] {1, 3, 8, 11, 17}) {
            int xOff = 3;
            int outOff = 5;
            float[] x = OpenClTestDevice.floats(xOff + batch * cols, random);
            float[] want = new float[batch * rows];
            ref.matmul(w, Arrays.copyOfRange(x, xOff, x.length), want, batch);
            cl_mem out = arena.buffer("out", (long) (outOff + batch * rows) * Float.BYTES);
            ops.matmul(dw, arena.upload("x", x), xOff, out, outOff, batch);
            float[] got = new float[outOff + batch * rows];
            ops.readFloats(out, 0, got, got.length);
            for (int b = 0; b < batch; b++) {
                for (int r = 0; r < rows; r++) {
                    double tol = DOT_TOLERANCE * OpenClTestDevice.absDot(w, r, x, xOff + b * cols) + 1e-7;
                    float g = got[outOff + b * rows + r];
                    float e = want[b * rows + r];
                    if (!(Math.abs(g - e) <= tol)) {
                        throw new AssertionError("%s %dx%d split=%s batch %d: row %d of input %d: expected %s, got %s "
                                .formatted(type, rows, cols, split, batch, r, b, e, g) + "(tolerance %.2e)".formatted(tol));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void getRowsDequantizesExactly(GgmlType type) {
        SplittableRandom random = new SplittableRandom(type.ordinal());
        int rows = 37;
        int cols = type.isQuantized() ? 96 : 67;
        Tensor w = OpenClTestDevice.tensor(type, rows, cols, random);
        DeviceTensor dw = new DeviceTensor(w.name(), type, rows, cols, arena.upload(w.name(), w.data()));
        int[] ids = {36, 0, 5, 5, 17};
        cl_mem tokens = arena.buffer("tokens", (long) ids.length * Integer.BYTES);
        ops.writeInts(tokens, ids, ids.length);
        int outOff = 7;
        cl_mem out = arena.buffer("out", (long) (outOff + ids.length * cols) * Float.BYTES);
        ops.getRows(dw, tokens, ids.length, out, outOff);
        float[] got = new float[ids.length * cols];
        ops.readFloats(out, outOff, got, got.length);
        float[] want = new float[ids.length * cols];
        for (int t = 0; t < ids.length; t++) {
            ref.getRow(w, ids[t], want, t * cols);
        }
        assertArrayEquals(want, got, type + ": embedding rows must be bit-identical");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 64, 67, 300, 1000})
    void rmsnormMatchesTheScalarReference(int n) {
        SplittableRandom random = new SplittableRandom(n);
        int rows = 3;
        int xOff = 5;
        float[] x = OpenClTestDevice.floats(xOff + rows * n, random);
        float[] weight = OpenClTestDevice.floats(n, random);
        cl_mem out = arena.buffer("out", (long) (2 + rows * n) * Float.BYTES);
        ops.rmsnorm(arena.upload("x", x), xOff, arena.upload("w", weight), n, 1e-5f, out, 2, rows);
        float[] got = new float[rows * n];
        ops.readFloats(out, 2, got, got.length);
        float[] want = new float[rows * n];
        for (int r = 0; r < rows; r++) {
            ref.rmsnorm(want, r * n, x, xOff + r * n, weight, n, 1e-5f);
        }
        assertClose(want, got, ELEMENT_TOLERANCE, "rmsnorm n=" + n);
    }

    @ParameterizedTest
    @EnumSource(Rope.Layout.class)
    void ropeMatchesTheEngineRopeExactly(Rope.Layout layout) {
        int headDim = 12;
        int rotaryDim = 8; // partial rotation: the last 4 values of each head stay
        int heads = 3;
        int positions = 40;
        int tokens = 5;
        int pos0 = 31;
        float[] freqs = {1f, 2f, 4f, 8f};
        Rope rope = new Rope(layout, headDim, rotaryDim, positions, 10000f, 2f, freqs);
        RopeTable table = RopeTable.of(rope, headDim, rotaryDim, positions);
        int rowStride = heads * headDim + 4; // rows with a gap after the heads
        int xOff = 3;
        float[] x = OpenClTestDevice.floats(xOff + tokens * rowStride, new SplittableRandom(9));
        cl_mem buf = arena.buffer("x", (long) x.length * Float.BYTES);
        ops.writeFloats(buf, x);
        ops.rope(layout, buf, xOff, rowStride, heads, headDim, rotaryDim, pos0, tokens, arena.upload("cos", table.cos()),
                arena.upload("sin", table.sin()));
        float[] got = new float[x.length];
        ops.readFloats(buf, 0, got, got.length);
        float[] want = x.clone();
        for (int t = 0; t < tokens; t++) {
            rope.apply(want, xOff + t * rowStride, heads, pos0 + t);
        }
        assertArrayEquals(want, got, layout + ": the device rotates with the engine's own angles");
    }

    @Test
    void groupedQueryAttentionMatchesTheScalarReference() {
        int heads = 6;
        int kvHeads = 2; // groups of 3 query heads share a KV head
        int headDim = 12;
        int ctx = 50;
        int pos0 = 11;
        int tokens = 9;
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        float scale = (float) (1 / Math.sqrt(headDim));
        SplittableRandom random = new SplittableRandom(5);
        float[] q = OpenClTestDevice.floats(tokens * qDim, random);
        float[] keys = OpenClTestDevice.floats(ctx * kvDim, random);
        float[] values = OpenClTestDevice.floats(ctx * kvDim, random);
        cl_mem out = arena.buffer("out", (long) tokens * qDim * Float.BYTES);
        ops.attention(arena.upload("q", q), arena.upload("k", keys), arena.upload("v", values),
                arena.buffer("scores", (long) tokens * heads * ctx * Float.BYTES), out, heads, kvHeads, headDim, ctx, pos0,
                tokens, scale);
        float[] got = new float[tokens * qDim];
        ops.readFloats(out, 0, got, got.length);

        float[] want = new float[tokens * qDim];
        float[] scores = new float[ctx];
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < heads; h++) {
                int qOff = t * qDim + h * headDim;
                int kvOff = (h / (heads / kvHeads)) * headDim;
                int n = pos0 + t + 1; // causal
                for (int p = 0; p < n; p++) {
                    scores[p] = ref.dot(q, qOff, keys, p * kvDim + kvOff, headDim) * scale;
                }
                ref.softmax(scores, 0, n);
                for (int p = 0; p < n; p++) {
                    ref.axpy(scores[p], values, p * kvDim + kvOff, want, qOff, headDim);
                }
            }
        }
        assertClose(want, got, ATTENTION_TOLERANCE, "attention");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 13, 1000})
    void swigluMatchesTheScalarReference(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] gate = OpenClTestDevice.floats(n, random);
        float[] up = OpenClTestDevice.floats(n, random);
        for (int i = 0; i < n; i++) {
            gate[i] *= 8; // silu's curve from about -8 to 8
        }
        cl_mem g = arena.buffer("gate", (long) n * Float.BYTES);
        ops.writeFloats(g, gate);
        ops.swiglu(g, arena.upload("up", up), n);
        float[] got = new float[n];
        ops.readFloats(g, 0, got, n);
        ref.swiglu(gate, up, n);
        assertClose(gate, got, ELEMENT_TOLERANCE, "swiglu");
    }

    @Test
    void residualAddIsExact() {
        SplittableRandom random = new SplittableRandom(3);
        float[] y = OpenClTestDevice.floats(4 + 77, random);
        float[] x = OpenClTestDevice.floats(2 + 77, random);
        cl_mem yb = arena.buffer("y", (long) y.length * Float.BYTES);
        ops.writeFloats(yb, y);
        ops.add(yb, 4, arena.upload("x", x), 2, 77);
        float[] got = new float[y.length];
        ops.readFloats(yb, 0, got, got.length);
        ref.axpy(1f, x, 2, y, 4, 77);
        assertArrayEquals(y, got);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 255, 256, 257, 32000})
    void argmaxPicksTheFirstLargest(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] x = OpenClTestDevice.floats(3 + n, random);
        if (n > 4) {
            // A tie between two lanes' candidates: the lower index wins, as on the host.
            x[3 + n - 1] = 5f;
            x[3 + n / 2] = 5f;
        }
        cl_mem result = arena.buffer("argmax", Integer.BYTES);
        ops.argmax(arena.upload("x", x), 3, n, result);
        assertEquals(Sampler.argmax(Arrays.copyOfRange(x, 3, x.length), n), ops.readInt(result));
    }

    static void assertClose(float[] want, float[] got, double relative, String what) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            double tol = relative * Math.abs(want[i]) + 1e-6;
            if (!(Math.abs(want[i] - got[i]) <= tol)) {
                throw new AssertionError("%s: value %d: expected %s, got %s (tolerance %.2e)".formatted(what, i, want[i],
                        got[i], tol));
            }
        }
    }
}
