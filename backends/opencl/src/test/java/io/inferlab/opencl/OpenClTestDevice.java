package io.inferlab.opencl;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;
import io.inferlab.engine.tensor.Tensor;

/**
 * The real OpenCL device the tests run on (PoCL's CPU device in CI) and random test data. Tests
 * that need it are {@code @EnabledIf("io.inferlab.opencl.OpenClTestDevice#available")} and skip
 * with {@link #SKIP_REASON} where no OpenCL platform is installed.
 */
final class OpenClTestDevice {
    static final String SKIP_REASON = "no OpenCL platform found (CI installs pocl-opencl-icd)";

    private OpenClTestDevice() {
    }

    static boolean available() {
        return OpenClProbe.discover() instanceof OpenClDiscovery.Found;
    }

    /** The device the backend opens by default (the first GPU, else the first device). */
    static OpenClDevice device() {
        return DeviceSelection.choose(((OpenClDiscovery.Found) OpenClProbe.discover()).devices(), -1);
    }

    static DeviceContext context() {
        return DeviceContext.of(device());
    }

    /** A {@code rows x cols} tensor of {@code type}, values uniform in [-1, 1) through the reference quantizer. */
    static Tensor tensor(GgmlType type, int rows, int cols, SplittableRandom random) {
        float[] values = floats(rows * cols, random);
        byte[] bytes = Quantizer.quantize(type, values);
        return new Tensor(type + "-" + rows + "x" + cols, type, new long[] {cols, rows}, MemorySegment.ofArray(bytes));
    }

    /** The same tensor with its bytes in native memory, as a mapped file's are. */
    static MemorySegment nativeCopy(Tensor t, java.lang.foreign.Arena arena) {
        MemorySegment m = arena.allocate(t.data().byteSize(), 64);
        MemorySegment.copy(t.data(), 0, m, 0, t.data().byteSize());
        return m;
    }

    /** Uniform values in [-1, 1). */
    static float[] floats(int n, SplittableRandom random) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        return x;
    }

    /** {@code sum_c |w[r][c] * x[xOff + c]|} in double: the scale of a dot product's rounding error. */
    static double absDot(Tensor w, int r, float[] x, int xOff) {
        double s = 0;
        long first = (long) r * w.cols();
        for (int c = 0; c < w.cols(); c++) {
            s += Math.abs((double) Formats.value(w.type(), w.data(), first + c) * x[xOff + c]);
        }
        return s;
    }
}
