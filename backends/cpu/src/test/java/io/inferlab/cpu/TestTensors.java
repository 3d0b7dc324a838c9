package io.inferlab.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;
import io.inferlab.engine.tensor.Tensor;

/** Random weight tensors for the kernel tests, placed at odd byte offsets like tensors in a GGUF file. */
final class TestTensors {
    private TestTensors() {
    }

    /**
     * A {@code rows x cols} tensor of {@code type} whose data starts {@code misalign} bytes into a
     * larger segment (so vector loads are unaligned and the slice has neighbours on both sides).
     * Values are uniform in [-1, 1), quantized with the reference quantizer; MXFP4 (which has no
     * quantizer yet) gets random nibbles and exponent bytes in [118, 136), scales 2^-9 .. 2^8.
     */
    static Tensor random(GgmlType type, int rows, int cols, long misalign, Arena arena, SplittableRandom random) {
        long bytes = type.bytesFor((long) rows * cols);
        MemorySegment whole = arena.allocate(bytes + misalign + 64, 64);
        for (long i = 0; i < whole.byteSize(); i++) {
            whole.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(256)); // junk around the slice
        }
        MemorySegment data = whole.asSlice(misalign, bytes);
        if (type == GgmlType.MXFP4) {
            for (long b = 0; b < bytes; b += type.typeSize()) {
                data.set(ValueLayout.JAVA_BYTE, b, (byte) (118 + random.nextInt(18)));
            }
        } else {
            float[] values = new float[rows * cols];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextDouble(-1, 1);
            }
            MemorySegment.copy(MemorySegment.ofArray(Quantizer.quantize(type, values)), 0, data, 0, bytes);
        }
        return new Tensor(type + "-" + rows + "x" + cols, type, new long[] {cols, rows}, data);
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
