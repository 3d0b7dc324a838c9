package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.F;
import static io.inferlab.cpu.Simd.L;

import jdk.incubator.vector.FloatVector;

/**
 * The two loops of {@link VectorKernels#attend} around its softmax, for one query head or for
 * four that share their KV head, with the same arithmetic as {@link VectorKernels#dot} per score
 * and {@link VectorKernels#axpy} per value, in the same order, so each head's results are those
 * of the reference's sequence of calls, bit for bit.
 *
 * <p>Why not those calls: in a 1b Q4_0 prefill of 128 tokens, attention took 6% of the time
 * (52 ms a pass, 66 cycles per position and head): each position's axpy loaded and stored the
 * head's whole output again, a chain through memory from one position to the next, and each dot
 * was a call with its own loop and tail. Here the output's sums stay in registers, and four
 * positions' dot products run side by side (29 ms). What is left is bound by reading the keys
 * and values, 256 bytes a position for a 64-wide head, from L2 (128 positions of 4 KV heads are
 * 256 KiB a layer): summing 16 positions' dot products in one vector instead of one
 * {@link Simd#sum} each made the scores slower, not faster (5.0 against 4.2 ns a position). So
 * four heads of a group take each key and value from one load.
 */
final class VectorAttention {
    private VectorAttention() {
    }

    /**
     * {@code scores[at + i] = (q . key(first + i)) * scale} for {@code i < n}, key {@code p} at
     * {@code keys[p * kvDim + kvOff ..]}.
     */
    static void scores(float[] q, int qOff, float[] keys, int kvDim, int kvOff, int headDim, int first, int n,
                       float scale, float[] scores, int at) {
        int vectors = headDim / L * L;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            int k0 = (first + i) * kvDim + kvOff;
            int k1 = k0 + kvDim;
            int k2 = k1 + kvDim;
            int k3 = k2 + kvDim;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            for (int c = 0; c < vectors; c += L) {
                FloatVector x = FloatVector.fromArray(F, q, qOff + c);
                a0 = x.fma(FloatVector.fromArray(F, keys, k0 + c), a0);
                a1 = x.fma(FloatVector.fromArray(F, keys, k1 + c), a1);
                a2 = x.fma(FloatVector.fromArray(F, keys, k2 + c), a2);
                a3 = x.fma(FloatVector.fromArray(F, keys, k3 + c), a3);
            }
            scores[at + i] = tail(q, qOff, keys, k0, vectors, headDim, Simd.sum(a0)) * scale;
            scores[at + i + 1] = tail(q, qOff, keys, k1, vectors, headDim, Simd.sum(a1)) * scale;
            scores[at + i + 2] = tail(q, qOff, keys, k2, vectors, headDim, Simd.sum(a2)) * scale;
            scores[at + i + 3] = tail(q, qOff, keys, k3, vectors, headDim, Simd.sum(a3)) * scale;
        }
        for (; i < n; i++) {
            int k0 = (first + i) * kvDim + kvOff;
            FloatVector a0 = FloatVector.zero(F);
            for (int c = 0; c < vectors; c += L) {
                a0 = FloatVector.fromArray(F, q, qOff + c).fma(FloatVector.fromArray(F, keys, k0 + c), a0);
            }
            scores[at + i] = tail(q, qOff, keys, k0, vectors, headDim, Simd.sum(a0)) * scale;
        }
    }

    /**
     * {@link #scores} of four query heads ({@code headDim} apart from {@code q[qOff]}) into rows
     * {@code stride} apart from {@code scores[at]}, each key read once for the four.
     */
    static void scores4(float[] q, int qOff, float[] keys, int kvDim, int kvOff, int headDim, int first, int n,
                        float scale, float[] scores, int at, int stride) {
        int vectors = headDim / L * L;
        int q1 = qOff + headDim;
        int q2 = q1 + headDim;
        int q3 = q2 + headDim;
        for (int i = 0; i < n; i++) {
            int k = (first + i) * kvDim + kvOff;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            for (int c = 0; c < vectors; c += L) {
                FloatVector key = FloatVector.fromArray(F, keys, k + c);
                a0 = FloatVector.fromArray(F, q, qOff + c).fma(key, a0);
                a1 = FloatVector.fromArray(F, q, q1 + c).fma(key, a1);
                a2 = FloatVector.fromArray(F, q, q2 + c).fma(key, a2);
                a3 = FloatVector.fromArray(F, q, q3 + c).fma(key, a3);
            }
            scores[at + i] = tail(q, qOff, keys, k, vectors, headDim, Simd.sum(a0)) * scale;
            scores[at + stride + i] = tail(q, q1, keys, k, vectors, headDim, Simd.sum(a1)) * scale;
            scores[at + 2 * stride + i] = tail(q, q2, keys, k, vectors, headDim, Simd.sum(a2)) * scale;
            scores[at + 3 * stride + i] = tail(q, q3, keys, k, vectors, headDim, Simd.sum(a3)) * scale;
        }
    }

    /** {@code s} plus the products of the values {@code from ..} a whole vector does not hold, as {@link VectorKernels#dot} adds them. */
    private static float tail(float[] q, int qOff, float[] keys, int kOff, int from, int headDim, float s) {
        for (int c = from; c < headDim; c++) {
            s += q[qOff + c] * keys[kOff + c];
        }
        return s;
    }

    /**
     * {@code out[outOff + c] = sum_i weights[at + i] * value(first + i)[c]} for {@code i < n},
     * summed from zero in position order with a multiply and an add each, value {@code p} at
     * {@code values[p * kvDim + kvOff ..]}.
     */
    static void weightedValues(float[] weights, int at, float[] values, int kvDim, int kvOff, int headDim, int first,
                               int n, float[] out, int outOff) {
        int c = 0;
        for (; c + 4 * L <= headDim; c += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            int v = first * kvDim + kvOff + c;
            for (int i = 0; i < n; i++, v += kvDim) {
                float w = weights[at + i];
                a0 = a0.add(FloatVector.fromArray(F, values, v).mul(w));
                a1 = a1.add(FloatVector.fromArray(F, values, v + L).mul(w));
                a2 = a2.add(FloatVector.fromArray(F, values, v + 2 * L).mul(w));
                a3 = a3.add(FloatVector.fromArray(F, values, v + 3 * L).mul(w));
            }
            a0.intoArray(out, outOff + c);
            a1.intoArray(out, outOff + c + L);
            a2.intoArray(out, outOff + c + 2 * L);
            a3.intoArray(out, outOff + c + 3 * L);
        }
        for (; c + L <= headDim; c += L) {
            FloatVector a0 = FloatVector.zero(F);
            int v = first * kvDim + kvOff + c;
            for (int i = 0; i < n; i++, v += kvDim) {
                a0 = a0.add(FloatVector.fromArray(F, values, v).mul(weights[at + i]));
            }
            a0.intoArray(out, outOff + c);
        }
        tailValues(weights, at, values, kvDim, kvOff, c, headDim, first, n, out, outOff);
    }

    /**
     * {@link #weightedValues} of four heads, weights in rows {@code stride} apart from
     * {@code weights[at]} and outputs {@code headDim} apart from {@code out[outOff]}, each value
     * read once for the four: a vector of each at a time, sixteen sums in registers.
     */
    static void weightedValues4(float[] weights, int at, int stride, float[] values, int kvDim, int kvOff, int headDim,
                                int first, int n, float[] out, int outOff) {
        int w1 = at + stride;
        int w2 = w1 + stride;
        int w3 = w2 + stride;
        int c = 0;
        for (; c + 4 * L <= headDim; c += 4 * L) {
            FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
            FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
            FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F), a22 = FloatVector.zero(F), a23 = FloatVector.zero(F);
            FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F), a32 = FloatVector.zero(F), a33 = FloatVector.zero(F);
            int v = first * kvDim + kvOff + c;
            for (int i = 0; i < n; i++, v += kvDim) {
                FloatVector x0 = FloatVector.fromArray(F, values, v);
                FloatVector x1 = FloatVector.fromArray(F, values, v + L);
                FloatVector x2 = FloatVector.fromArray(F, values, v + 2 * L);
                FloatVector x3 = FloatVector.fromArray(F, values, v + 3 * L);
                float w = weights[at + i];
                a00 = a00.add(x0.mul(w));
                a01 = a01.add(x1.mul(w));
                a02 = a02.add(x2.mul(w));
                a03 = a03.add(x3.mul(w));
                w = weights[w1 + i];
                a10 = a10.add(x0.mul(w));
                a11 = a11.add(x1.mul(w));
                a12 = a12.add(x2.mul(w));
                a13 = a13.add(x3.mul(w));
                w = weights[w2 + i];
                a20 = a20.add(x0.mul(w));
                a21 = a21.add(x1.mul(w));
                a22 = a22.add(x2.mul(w));
                a23 = a23.add(x3.mul(w));
                w = weights[w3 + i];
                a30 = a30.add(x0.mul(w));
                a31 = a31.add(x1.mul(w));
                a32 = a32.add(x2.mul(w));
                a33 = a33.add(x3.mul(w));
            }
            int o = outOff + c;
            a00.intoArray(out, o);
            a01.intoArray(out, o + L);
            a02.intoArray(out, o + 2 * L);
            a03.intoArray(out, o + 3 * L);
            o += headDim;
            a10.intoArray(out, o);
            a11.intoArray(out, o + L);
            a12.intoArray(out, o + 2 * L);
            a13.intoArray(out, o + 3 * L);
            o += headDim;
            a20.intoArray(out, o);
            a21.intoArray(out, o + L);
            a22.intoArray(out, o + 2 * L);
            a23.intoArray(out, o + 3 * L);
            o += headDim;
            a30.intoArray(out, o);
            a31.intoArray(out, o + L);
            a32.intoArray(out, o + 2 * L);
            a33.intoArray(out, o + 3 * L);
        }
        for (; c + L <= headDim; c += L) {
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            int v = first * kvDim + kvOff + c;
            for (int i = 0; i < n; i++, v += kvDim) {
                FloatVector x = FloatVector.fromArray(F, values, v);
                a0 = a0.add(x.mul(weights[at + i]));
                a1 = a1.add(x.mul(weights[w1 + i]));
                a2 = a2.add(x.mul(weights[w2 + i]));
                a3 = a3.add(x.mul(weights[w3 + i]));
            }
            a0.intoArray(out, outOff + c);
            a1.intoArray(out, outOff + headDim + c);
            a2.intoArray(out, outOff + 2 * headDim + c);
            a3.intoArray(out, outOff + 3 * headDim + c);
        }
        for (int h = 0; h < 4; h++) {
            tailValues(weights, at + h * stride, values, kvDim, kvOff, c, headDim, first, n, out, outOff + h * headDim);
        }
    }

    /** Values {@code from .. headDim} of one head's {@link #weightedValues}, where a whole vector does not reach. */
    private static void tailValues(float[] weights, int at, float[] values, int kvDim, int kvOff, int from, int headDim,
                                   int first, int n, float[] out, int outOff) {
        for (int c = from; c < headDim; c++) {
            float a = 0f;
            int v = first * kvDim + kvOff + c;
            for (int i = 0; i < n; i++, v += kvDim) {
                a += weights[at + i] * values[v];
            }
            out[outOff + c] = a;
        }
    }
}
