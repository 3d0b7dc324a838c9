package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.L;
import static io.inferlab.cpu.Simd.PARTS;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * Vectorized dequantization of whole rows into floats for the batched matmul, which decodes
 * each weight row once and reuses it for every token. (Embedding lookups decode with the scalar
 * reference: see {@link VectorKernels#getRow}.) Every value equals
 * the scalar {@link Formats#value} (the same single rounding of {@code scale * q}), except that
 * MXFP4's negative zero comes out as {@code +0}.
 */
final class RowDecoder {
    private static final int BLOCK = 32;

    private RowDecoder() {
    }

    /** Row {@code row} of {@code w} into {@code out[off .. off + w.cols())}. */
    static void decodeRow(Tensor w, int row, float[] out, int off) {
        decode(w.type(), w.data(), row * w.rowBytes(), w.cols(), out, off, L);
    }

    /**
     * Row {@code row} of {@code w}, a whole number of vectors wide, with vector {@code v} (values
     * {@code vL .. vL + L - 1}) at {@code out[off + v * step ..]}: {@code step} {@code L} is a
     * plain row, a larger one writes straight into {@link TileMatmul}'s panels.
     */
    static void decodeRow(Tensor w, int row, float[] out, int off, int step) {
        if (w.cols() % L != 0) {
            throw new IllegalArgumentException(w + " is not a whole number of " + L + "-float vectors wide");
        }
        decode(w.type(), w.data(), row * w.rowBytes(), w.cols(), out, off, step);
    }

    /**
     * {@code n} values of a row starting at byte {@code pos} (a block boundary) into
     * {@code out[off..]}, vector {@code v} at {@code off + v * step}; values past the last whole
     * vector (only unquantized rows have them) follow it as in a plain row, so a {@code step}
     * other than {@code L} needs {@code n} a multiple of {@code L}.
     */
    static void decode(GgmlType type, MemorySegment s, long pos, int n, float[] out, int off, int step) {
        switch (type) {
            case F32 -> f32(s, pos, n, out, off, step);
            case F16 -> f16(s, pos, n, out, off, step);
            case BF16 -> bf16(s, pos, n, out, off, step);
            case Q8_0 -> q8_0(s, pos, n / BLOCK, out, off, step);
            case Q4_0 -> q4_0(s, pos, n / BLOCK, out, off, step);
            case MXFP4 -> mxfp4(s, pos, n / BLOCK, out, off, step);
        }
    }

    private static void f32(MemorySegment s, long pos, int n, float[] out, int off, int step) {
        int i = 0;
        for (int bound = Simd.F.loopBound(n); i < bound; i += L) {
            Simd.f32s(s, pos + 4L * i).intoArray(out, off + i / L * step);
        }
        for (int at = off + i / L * step - i; i < n; i++) {
            out[at + i] = s.get(Formats.LE_FLOAT, pos + 4L * i);
        }
    }

    private static void f16(MemorySegment s, long pos, int n, float[] out, int off, int step) {
        int i = 0;
        for (int bound = Simd.F.loopBound(n); i < bound; i += L) {
            Simd.f16ToFloats(s, pos + 2L * i).intoArray(out, off + i / L * step);
        }
        for (int at = off + i / L * step - i; i < n; i++) {
            out[at + i] = Float.float16ToFloat(s.get(Formats.LE_SHORT, pos + 2L * i));
        }
    }

    private static void bf16(MemorySegment s, long pos, int n, float[] out, int off, int step) {
        int i = 0;
        for (int bound = Simd.F.loopBound(n); i < bound; i += L) {
            Simd.bf16ToFloats(s, pos + 2L * i).intoArray(out, off + i / L * step);
        }
        for (int at = off + i / L * step - i; i < n; i++) {
            out[at + i] = Formats.bf16ToFloat(s.get(Formats.LE_SHORT, pos + 2L * i));
        }
    }

    private static void q8_0(MemorySegment s, long pos, int blocks, float[] out, int off, int step) {
        for (int k = 0; k < blocks; k++) {
            long b = pos + (long) k * 34;
            float d = Float.float16ToFloat(s.get(Formats.LE_SHORT, b));
            int o = off + k * (BLOCK / L) * step;
            for (int h = 0; h < 2; h++) {
                ByteVector q = Simd.load16(s, b + 2 + 16 * h);
                for (int p = 0; p < PARTS; p++) {
                    Simd.bytesToFloats(q, p).mul(d).intoArray(out, o + (h * PARTS + p) * step);
                }
            }
        }
    }

    private static void q4_0(MemorySegment s, long pos, int blocks, float[] out, int off, int step) {
        for (int k = 0; k < blocks; k++) {
            long b = pos + (long) k * 18;
            float d = Float.float16ToFloat(s.get(Formats.LE_SHORT, b));
            int o = off + k * (BLOCK / L) * step;
            ByteVector q = Simd.load16(s, b + 2);
            for (int p = 0; p < PARTS; p++) {
                IntVector qi = Simd.bytesToInts(q, p);
                Simd.lowNibbleMinus8(qi).mul(d).intoArray(out, o + p * step);
                Simd.highNibbleMinus8(qi).mul(d).intoArray(out, o + (PARTS + p) * step);
            }
        }
    }

    private static void mxfp4(MemorySegment s, long pos, int blocks, float[] out, int off, int step) {
        for (int k = 0; k < blocks; k++) {
            long b = pos + (long) k * 17;
            float d = Simd.mxfp4HalfScale(s.get(ValueLayout.JAVA_BYTE, b));
            int o = off + k * (BLOCK / L) * step;
            ByteVector q = Simd.load16(s, b + 1);
            ByteVector lo = Simd.e2m1x2(q.and((byte) 0x0F));
            ByteVector hi = Simd.e2m1x2(Simd.highNibbles(q));
            for (int p = 0; p < PARTS; p++) {
                FloatVector vl = Simd.bytesToFloats(lo, p);
                FloatVector vh = Simd.bytesToFloats(hi, p);
                vl.mul(d).intoArray(out, o + p * step);
                vh.mul(d).intoArray(out, o + (PARTS + p) * step);
            }
        }
    }
}
