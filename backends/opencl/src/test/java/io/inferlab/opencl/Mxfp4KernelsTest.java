package io.inferlab.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;

/**
 * The MXFP4 kernels (matvec_mxfp4.cl, matmul_mxfp4.cl, get_rows_mxfp4.cl) against the engine's
 * scalar reference on the real device: odd shapes (1, 3, 5 and 67 blocks per row, rows and
 * batches off the lane count and the matmul tile), non-zero offsets, both product layouts, and
 * every E8M0 scale byte 0..254 (0 = 2^-127, subnormal; 254 = 2^127).
 */
@EnabledIf(value = "io.inferlab.opencl.OpenClTestDevice#available", disabledReason = OpenClTestDevice.SKIP_REASON)
class Mxfp4KernelsTest extends DeviceKernelTest {
    /** As OpenClOpsTest.DOT_TOLERANCE: |device - reference| <= 1e-5 * sum_c |w_c x_c| (float sums in another order). */
    static final double DOT_TOLERANCE = 1e-5;
    /**
     * Absolute floor, a few times FLT_MIN (1.2e-38): with scales near 2^-127 the products are
     * subnormal, and a device may flush them to zero (OpenCL 1.2 makes single-precision
     * denormals optional).
     */
    static final double SUBNORMAL_FLOOR = 1e-37;

    static Stream<Arguments> shapes() {
        List<Arguments> shapes = new ArrayList<>();
        for (boolean split : new boolean[] {false, true}) {
            for (int cols : new int[] {32, 96, 160, 64 * 32 + 32 * 3}) {
                shapes.add(Arguments.of(13, cols, split));
            }
            shapes.add(Arguments.of(70, 2048, split));
        }
        return shapes.stream();
    }

    @ParameterizedTest(name = "{0}x{1} split={2}")
    @MethodSource("shapes")
    void matvecAndMatmulMatchTheScalarReference(int rows, int cols, boolean split) {
        SplittableRandom random = new SplittableRandom(rows * 31L + cols);
        Tensor w = OpenClTestDevice.tensor(GgmlType.MXFP4, rows, cols, random);
        float[] x = null;
        for (int batch : new int[] {1, 3, 8, 11, 17}) {
            x = OpenClTestDevice.floats(3 + batch * cols, random);
            check(w, x, batch, split);
        }
    }

    /** Row r has every block at scale byte r (0..254); x small enough that 2^127 scales stay finite. */
    @ParameterizedTest(name = "split={0}")
    @ValueSource(booleans = {false, true})
    void everyScaleByteDecodesAsTheReference(boolean split) {
        int rows = 255;
        int cols = 96;
        SplittableRandom random = new SplittableRandom(254);
        byte[] bytes = new byte[rows * cols / 32 * 17];
        for (int b = 0; b < rows * cols / 32; b++) {
            bytes[b * 17] = (byte) (b / (cols / 32));
            for (int j = 1; j < 17; j++) {
                bytes[b * 17 + j] = (byte) random.nextInt(256);
            }
        }
        Tensor w = new Tensor("scales", GgmlType.MXFP4, new long[] {cols, rows}, MemorySegment.ofArray(bytes));
        for (int batch : new int[] {1, 9}) {
            float[] x = OpenClTestDevice.floats(3 + batch * cols, random);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 1e-3f; // |sum| <= 96 * 6 * 1e-3, times 2^127 < Float.MAX_VALUE
            }
            check(w, x, batch, split);
        }
    }

    private void check(Tensor w, float[] x, int batch, boolean split) {
        int rows = w.rows();
        int cols = w.cols();
        OpenClOps ops = new OpenClOps(arena, split);
        DeviceTensor dw;
        try (Arena host = Arena.ofConfined()) {
            dw = new DeviceTensor(w.name(), w.type(), rows, cols, arena.upload(w.name(), OpenClTestDevice.nativeCopy(w, host)));
        }
        int xOff = 3;
        int outOff = 5;
        float[] want = new float[batch * rows];
        ref.matmul(w, Arrays.copyOfRange(x, xOff, xOff + batch * cols), want, batch);
        cl_mem out = arena.buffer("out", (long) (outOff + batch * rows) * Float.BYTES);
        ops.matmul(dw, arena.upload("x", x), xOff, out, outOff, batch);
        float[] got = new float[outOff + batch * rows];
        ops.readFloats(out, 0, got, got.length);
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < rows; r++) {
                double tol = DOT_TOLERANCE * absDot(w, r, x, xOff + b * cols) + SUBNORMAL_FLOOR;
                float g = got[outOff + b * rows + r];
                float e = want[b * rows + r];
                if (!(Math.abs(g - e) <= tol)) {
                    throw new AssertionError("mxfp4 %dx%d split=%s batch %d: row %d of input %d: expected %s, got %s "
                            .formatted(rows, cols, split, batch, r, b, e, g) + "(tolerance %.2e)".formatted(tol));
                }
            }
        }
    }

    /** sum_c |w[r][c] x[c]| in double, the scale 2^(e - 127) applied in double so 2^127 blocks do not overflow. */
    private static double absDot(Tensor w, int r, float[] x, int xOff) {
        double s = 0;
        MemorySegment d = w.data();
        int blocks = w.cols() / 32;
        for (int k = 0; k < blocks; k++) {
            long b = ((long) r * blocks + k) * 17;
            int e = d.get(java.lang.foreign.ValueLayout.JAVA_BYTE, b) & 0xFF;
            double scale = e == 0 ? 0x1p-127 : Math.scalb(1.0, e - 127);
            for (int j = 0; j < 16; j++) {
                int q = d.get(java.lang.foreign.ValueLayout.JAVA_BYTE, b + 1 + j);
                s += Math.abs(Formats.e2m1ToFloat(q) * scale * x[xOff + k * 32 + j]);
                s += Math.abs(Formats.e2m1ToFloat(q >> 4) * scale * x[xOff + k * 32 + j + 16]);
            }
        }
        return s;
    }

    @Test
    void getRowsDequantizesExactly() {
        SplittableRandom random = new SplittableRandom(39);
        int rows = 37;
        int cols = 96;
        Tensor w = OpenClTestDevice.tensor(GgmlType.MXFP4, rows, cols, random);
        OpenClOps ops = new OpenClOps(arena);
        DeviceTensor dw = new DeviceTensor(w.name(), w.type(), rows, cols, arena.upload(w.name(), w.data()));
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
        assertArrayEquals(want, got, "mxfp4 embedding rows must be bit-identical");
    }
}
