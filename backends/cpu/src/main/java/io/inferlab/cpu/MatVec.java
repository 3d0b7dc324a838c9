package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.F;
import static io.inferlab.cpu.Simd.L;
import static io.inferlab.cpu.Simd.PARTS;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

/**
 * Matrix-vector product for one token (decode), reading each weight straight from the
 * memory-mapped segment once. This is memory-bandwidth-bound, so the kernels do the least work
 * per byte: the quantized ones sum a block's {@code q * x} in a vector and scale the block sum
 * once ({@code acc += d * sum(q * x)}), instead of dequantizing every weight first.
 *
 * <p>Each row's result depends only on that row, never on how rows are split across threads.
 */
final class MatVec {
    private static final int BLOCK = 32;

    private MatVec() {
    }

    /** {@code out[r] = w[r] . x} for rows {@code [from, to)}. */
    static void rows(Tensor w, float[] x, float[] out, int from, int to) {
        MemorySegment s = w.data();
        long rowBytes = w.rowBytes();
        int cols = w.cols();
        switch (w.type()) {
            case F32 -> f32(s, rowBytes, cols, x, out, from, to);
            case F16 -> f16(s, rowBytes, cols, x, out, from, to);
            case BF16 -> bf16(s, rowBytes, cols, x, out, from, to);
            case Q8_0 -> q8_0(s, rowBytes, cols / BLOCK, x, out, from, to);
            case Q4_0 -> q4_0(s, rowBytes, cols / BLOCK, x, out, from, to);
            case MXFP4 -> mxfp4(s, rowBytes, cols / BLOCK, x, out, from, to);
        }
    }

    // Two accumulators, even and odd blocks, so consecutive blocks do not wait on each other's
    // final FMA (a single chain allows one block per FMA latency): each block adds into acc0 and
    // the two are swapped, which costs nothing once registers are allocated.
    //
    // The block's arithmetic is written out in the loop, not in a helper that returns a vector:
    // HotSpot sometimes compiles such a helper on its own first (the timing differs run to run,
    // and with the thread count), then refuses to inline its large compiled code, and every call
    // boxes its vectors and runs the Vector API's scalar fallback: 5x slower decode, seen on a
    // gpt-oss model with 2 threads. Helpers here return scalars or are a few bytecodes long.

    /**
     * Rows go two at a time, one from each half of the range, so each thread reads two sequential
     * streams half a range apart (one left the core waiting on memory: see
     * {@link InterleavedQ4_0#matvec}); an odd range's last row is computed in both slots.
     * {@code MatmulProbe Q8_0}, 2 threads: 32.7 against 33.4 GB/s on average, ahead in 6 of 8
     * alternating rounds. MXFP4 rows taken the same way ran 5% slower (21.5-21.9 against 20.7
     * GB/s in three rounds): its kernel is bound by its value lookups, not by memory.
     */
    private static void q8_0(MemorySegment s, long rowBytes, int blocks, float[] x, float[] out, int from, int to) {
        int half = (to - from) / 2;
        for (int r = from; r < from + half; r++) {
            q8_0Rows(s, rowBytes, blocks, x, out, r, r + half);
        }
        if (((to - from) & 1) != 0) {
            q8_0Rows(s, rowBytes, blocks, x, out, to - 1, to - 1);
        }
    }

    /** Rows {@code r} and {@code t}, each by the same operations in the same order as the other. */
    private static void q8_0Rows(MemorySegment s, long rowBytes, int blocks, float[] x, float[] out, int r, int t) {
        long b = r * rowBytes;
        long c = t * rowBytes;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        for (int xo = 0; xo < blocks * BLOCK; xo += BLOCK, b += 34, c += 34) {
            ByteVector qr0 = Simd.load16(s, b + 2);
            ByteVector qr1 = Simd.load16(s, b + 18);
            ByteVector qt0 = Simd.load16(s, c + 2);
            ByteVector qt1 = Simd.load16(s, c + 18);
            FloatVector xp = FloatVector.fromArray(F, x, xo);
            FloatVector sumR = Simd.bytesToFloats(qr0, 0).mul(xp);
            FloatVector sumT = Simd.bytesToFloats(qt0, 0).mul(xp);
            for (int p = 1; p < PARTS; p++) {
                xp = FloatVector.fromArray(F, x, xo + p * L);
                sumR = Simd.bytesToFloats(qr0, p).fma(xp, sumR);
                sumT = Simd.bytesToFloats(qt0, p).fma(xp, sumT);
            }
            for (int p = 0; p < PARTS; p++) {
                xp = FloatVector.fromArray(F, x, xo + 16 + p * L);
                sumR = Simd.bytesToFloats(qr1, p).fma(xp, sumR);
                sumT = Simd.bytesToFloats(qt1, p).fma(xp, sumT);
            }
            FloatVector next = sumR.fma(FloatVector.broadcast(F, f16Scale(s, b)), acc0);
            acc0 = acc1;
            acc1 = next;
            next = sumT.fma(FloatVector.broadcast(F, f16Scale(s, c)), acc2);
            acc2 = acc3;
            acc3 = next;
        }
        out[r] = Simd.sum(acc0.add(acc1));
        out[t] = Simd.sum(acc2.add(acc3));
    }

    /**
     * Q4_0 in GGML's layout (matrices too narrow to interleave, see {@link InterleavedQ4_0}, and
     * rows' tails): {@code (nibble - 8) * x} per block. The nibbles are split and re-centred as 16 bytes
     * each (two cheap 128-bit operations), then widened to floats like Q8_0's bytes, so a Q4_0
     * block costs about what a Q8_0 block does while reading half the bytes.
     */
    private static void q4_0(MemorySegment s, long rowBytes, int blocks, float[] x, float[] out, int from, int to) {
        for (int r = from; r < to; r++) {
            out[r] = q4_0Dot(s, r * rowBytes, blocks, x, 0);
        }
    }

    /** {@code blocks} Q4_0 blocks in GGML's layout at byte {@code b}, dotted with {@code x[xo ..]}. */
    static float q4_0Dot(MemorySegment s, long b, int blocks, float[] x, int xo) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int end = xo + blocks * BLOCK; xo < end; xo += BLOCK, b += 18) {
            ByteVector q = Simd.load16(s, b + 2);
            ByteVector lo = q.and((byte) 0x0F).sub((byte) 8);
            ByteVector hi = Simd.highNibbles(q).sub((byte) 8);
            FloatVector sum = Simd.bytesToFloats(lo, 0).mul(FloatVector.fromArray(F, x, xo));
            sum = Simd.bytesToFloats(hi, 0).fma(FloatVector.fromArray(F, x, xo + 16), sum);
            for (int p = 1; p < PARTS; p++) {
                sum = Simd.bytesToFloats(lo, p).fma(FloatVector.fromArray(F, x, xo + p * L), sum);
                sum = Simd.bytesToFloats(hi, p).fma(FloatVector.fromArray(F, x, xo + 16 + p * L), sum);
            }
            FloatVector next = sum.fma(FloatVector.broadcast(F, f16Scale(s, b)), acc0);
            acc0 = acc1;
            acc1 = next;
        }
        return Simd.sum(acc0.add(acc1));
    }

    /** MXFP4: {@code 2 * e2m1 * x} per block (see {@link Simd#e2m1x2}), scaled by half the E8M0 scale. */
    private static void mxfp4(MemorySegment s, long rowBytes, int blocks, float[] x, float[] out, int from, int to) {
        for (int r = from; r < to; r++) {
            long b = r * rowBytes;
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            for (int xo = 0; xo < blocks * BLOCK; xo += BLOCK, b += 17) {
                ByteVector q = Simd.load16(s, b + 1);
                ByteVector lo = Simd.e2m1x2(q.and((byte) 0x0F));
                ByteVector hi = Simd.e2m1x2(Simd.highNibbles(q));
                FloatVector sum = Simd.bytesToFloats(lo, 0).mul(FloatVector.fromArray(F, x, xo));
                sum = Simd.bytesToFloats(hi, 0).fma(FloatVector.fromArray(F, x, xo + 16), sum);
                for (int p = 1; p < PARTS; p++) {
                    sum = Simd.bytesToFloats(lo, p).fma(FloatVector.fromArray(F, x, xo + p * L), sum);
                    sum = Simd.bytesToFloats(hi, p).fma(FloatVector.fromArray(F, x, xo + 16 + p * L), sum);
                }
                FloatVector next = sum.fma(FloatVector.broadcast(F, Simd.mxfp4HalfScale(s.get(ValueLayout.JAVA_BYTE, b))), acc0);
                acc0 = acc1;
                acc1 = next;
            }
            out[r] = Simd.sum(acc0.add(acc1));
        }
    }

    private static float f16Scale(MemorySegment s, long b) {
        return Float.float16ToFloat(s.get(Formats.LE_SHORT, b));
    }

    private static void f32(MemorySegment s, long rowBytes, int cols, float[] x, float[] out, int from, int to) {
        int bound = F.loopBound(cols);
        for (int r = from; r < to; r++) {
            long row = r * rowBytes;
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            int c = 0;
            for (; c + L < bound; c += 2 * L) {
                acc0 = Simd.f32s(s, row + 4L * c).fma(FloatVector.fromArray(F, x, c), acc0);
                acc1 = Simd.f32s(s, row + 4L * (c + L)).fma(FloatVector.fromArray(F, x, c + L), acc1);
            }
            if (c < bound) {
                acc0 = Simd.f32s(s, row + 4L * c).fma(FloatVector.fromArray(F, x, c), acc0);
                c += L;
            }
            float sum = Simd.sum(acc0.add(acc1));
            for (; c < cols; c++) {
                sum += s.get(Formats.LE_FLOAT, row + 4L * c) * x[c];
            }
            out[r] = sum;
        }
    }

    private static void f16(MemorySegment s, long rowBytes, int cols, float[] x, float[] out, int from, int to) {
        int bound = F.loopBound(cols);
        for (int r = from; r < to; r++) {
            long row = r * rowBytes;
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            int c = 0;
            for (; c + L < bound; c += 2 * L) {
                acc0 = Simd.f16ToFloats(s, row + 2L * c).fma(FloatVector.fromArray(F, x, c), acc0);
                acc1 = Simd.f16ToFloats(s, row + 2L * (c + L)).fma(FloatVector.fromArray(F, x, c + L), acc1);
            }
            if (c < bound) {
                acc0 = Simd.f16ToFloats(s, row + 2L * c).fma(FloatVector.fromArray(F, x, c), acc0);
                c += L;
            }
            float sum = Simd.sum(acc0.add(acc1));
            for (; c < cols; c++) {
                sum += Float.float16ToFloat(s.get(Formats.LE_SHORT, row + 2L * c)) * x[c];
            }
            out[r] = sum;
        }
    }

    private static void bf16(MemorySegment s, long rowBytes, int cols, float[] x, float[] out, int from, int to) {
        int bound = F.loopBound(cols);
        for (int r = from; r < to; r++) {
            long row = r * rowBytes;
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            int c = 0;
            for (; c + L < bound; c += 2 * L) {
                acc0 = Simd.bf16ToFloats(s, row + 2L * c).fma(FloatVector.fromArray(F, x, c), acc0);
                acc1 = Simd.bf16ToFloats(s, row + 2L * (c + L)).fma(FloatVector.fromArray(F, x, c + L), acc1);
            }
            if (c < bound) {
                acc0 = Simd.bf16ToFloats(s, row + 2L * c).fma(FloatVector.fromArray(F, x, c), acc0);
                c += L;
            }
            float sum = Simd.sum(acc0.add(acc1));
            for (; c < cols; c++) {
                sum += Formats.bf16ToFloat(s.get(Formats.LE_SHORT, row + 2L * c)) * x[c];
            }
            out[r] = sum;
        }
    }
}
