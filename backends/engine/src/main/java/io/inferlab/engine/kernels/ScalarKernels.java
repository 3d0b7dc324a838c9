package io.inferlab.engine.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;

/**
 * The scalar reference kernels: one thread, plain loops in the formats' own terms, sums in
 * {@code float} in index order. Every other implementation is checked against these, and the
 * forward pass run on them is the oracle for the backends.
 */
public final class ScalarKernels implements Kernels {

    @Override
    public String description() {
        return "scalar reference";
    }

    @Override
    public void matmul(Tensor w, float[] x, float[] out, int batch) {
        int rows = w.rows();
        int cols = w.cols();
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < rows; r++) {
                out[b * rows + r] = dotRow(w, r, x, b * cols);
            }
        }
    }

    /** Dot product of row {@code r} of {@code w} with {@code x[xOff .. xOff + cols)}. */
    public static float dotRow(Tensor w, int r, float[] x, int xOff) {
        int cols = w.cols();
        MemorySegment d = w.data();
        long rowStart = r * w.rowBytes();
        float sum = 0;
        switch (w.type()) {
            case F32 -> {
                for (int c = 0; c < cols; c++) {
                    sum += d.get(Formats.LE_FLOAT, rowStart + 4L * c) * x[xOff + c];
                }
            }
            case F16 -> {
                for (int c = 0; c < cols; c++) {
                    sum += Float.float16ToFloat(d.get(Formats.LE_SHORT, rowStart + 2L * c)) * x[xOff + c];
                }
            }
            case BF16 -> {
                for (int c = 0; c < cols; c++) {
                    sum += Formats.bf16ToFloat(d.get(Formats.LE_SHORT, rowStart + 2L * c)) * x[xOff + c];
                }
            }
            case Q8_0 -> {
                for (int blk = 0; blk < cols / 32; blk++) {
                    long b = rowStart + (long) blk * GgmlType.Q8_0.typeSize();
                    float scale = Float.float16ToFloat(d.get(Formats.LE_SHORT, b));
                    float s = 0;
                    for (int j = 0; j < 32; j++) {
                        s += d.get(ValueLayout.JAVA_BYTE, b + 2 + j) * x[xOff + blk * 32 + j];
                    }
                    sum += scale * s;
                }
            }
            case Q4_0 -> {
                for (int blk = 0; blk < cols / 32; blk++) {
                    long b = rowStart + (long) blk * GgmlType.Q4_0.typeSize();
                    float scale = Float.float16ToFloat(d.get(Formats.LE_SHORT, b));
                    float s = 0;
                    for (int j = 0; j < 16; j++) {
                        int q = d.get(ValueLayout.JAVA_BYTE, b + 2 + j);
                        s += ((q & 0xF) - 8) * x[xOff + blk * 32 + j];
                        s += (((q >> 4) & 0xF) - 8) * x[xOff + blk * 32 + j + 16];
                    }
                    sum += scale * s;
                }
            }
            case MXFP4 -> {
                for (int blk = 0; blk < cols / 32; blk++) {
                    long b = rowStart + (long) blk * GgmlType.MXFP4.typeSize();
                    float scale = Formats.e8m0ToFloat(d.get(ValueLayout.JAVA_BYTE, b));
                    float s = 0;
                    for (int j = 0; j < 16; j++) {
                        int q = d.get(ValueLayout.JAVA_BYTE, b + 1 + j);
                        s += Formats.e2m1ToFloat(q) * x[xOff + blk * 32 + j];
                        s += Formats.e2m1ToFloat(q >> 4) * x[xOff + blk * 32 + j + 16];
                    }
                    sum += scale * s;
                }
            }
        }
        return sum;
    }

    @Override
    public void getRow(Tensor w, int row, float[] out, int off) {
        Formats.dequantize(w.type(), w.data(), (long) row * w.cols(), out, off, w.cols());
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps) {
        float ss = 0;
        for (int i = 0; i < n; i++) {
            ss += x[xOff + i] * x[xOff + i];
        }
        float scale = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] * scale * weight[i];
        }
    }

    @Override
    public void swiglu(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) {
            float g = gate[i];
            gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
        }
    }

    @Override
    public void close() {
        // nothing to free
    }
}
