package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.F;
import static io.inferlab.cpu.Simd.I;
import static io.inferlab.cpu.Simd.L;

import io.inferlab.engine.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_0 in the {@link InterleavedMatrix} layout. GGML's block is an f16 scale {@code d} and 16
 * bytes: byte {@code i} holds value {@code i} in its low nibble and value {@code i + 16} in its
 * high nibble, each meaning {@code (n - 8) * d}. Quant bytes are stored XOR {@code 0x80}: after
 * sign extension, an arithmetic shift by 4 then gives the high value minus 8 directly, while
 * {@code v & 15} gives the low value without the minus 8, which {@link #matvec} folds into the
 * start of its accumulator ({@code -8} times the sum of each block's first 16 activations, once
 * per token). That leaves 7 vector operations per 16 values of L blocks.
 */
final class InterleavedQ4_0 extends InterleavedMatrix {
    InterleavedQ4_0(Tensor source) {
        super(source);
    }

    @Override
    byte quant(byte ggml) {
        return (byte) (ggml ^ 0x80);
    }

    /** {@code bias[b] = -8 * (x[32b] + ... + x[32b + 15])} for every grouped block {@code b} of one token. */
    @Override
    void bias(float[] x, float[] bias) {
        for (int b = 0; b < groups * L; b++) {
            float s = 0;
            for (int p = 0; p < 16; p++) {
                s += x[b * BLOCK + p];
            }
            bias[b] = -8 * s;
        }
    }

    @Override
    int biasLength() {
        return groups * L;
    }

    /**
     * {@code out[r] = w[r] . x} for rows {@code [from, to)}, one token: {@code xT} from
     * {@link #transpose} and {@code bias} from {@link #bias}. Rows go in pairs that share each
     * activation load (a quarter fewer operations per block), with four FMA chains in flight;
     * the pair's groups alternate in memory, so each thread still reads one sequential stream
     * (two rows read in step from GGML's row order made two strided streams, which the hardware
     * prefetcher served at a third of the speed).
     */
    @Override
    void matvec(float[] xT, float[] bias, float[] out, int from, int to) {
        byte[] q = quants;
        short[] d16 = scales;
        for (int r = from; r < to; ) {
            // A row without its partner here (an odd end) is computed in both slots, which changes nothing.
            int r1 = (r & 1) == 0 && r + 1 < to ? r + 1 : r;
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            for (int g = 0; g < groups; g++) {
                int group0 = group(r, g);
                int group1 = group(r1, g);
                int q0 = group0 * groupQuants;
                int q1 = group1 * groupQuants;
                int xo = g * GROUP_VALUES;
                FloatVector lo0 = FloatVector.fromArray(F, bias, g * L);
                FloatVector lo1 = lo0;
                FloatVector hi0 = FloatVector.zero(F);
                FloatVector hi1 = FloatVector.zero(F);
                // Written out, not in vector-returning helpers: see MatVec on C2 and inlining.
                for (int k = 0; k < 16; k++) {
                    FloatVector xLo = FloatVector.fromArray(F, xT, xo + k * L);
                    FloatVector xHi = FloatVector.fromArray(F, xT, xo + (16 + k) * L);
                    IntVector v = (IntVector) ByteVector.fromArray(BL, q, q0 + k * L).convertShape(VectorOperators.B2I, I, 0);
                    lo0 = ((FloatVector) v.and(0x0F).convert(VectorOperators.I2F, 0)).fma(xLo, lo0);
                    hi0 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 4).convert(VectorOperators.I2F, 0)).fma(xHi, hi0);
                    v = (IntVector) ByteVector.fromArray(BL, q, q1 + k * L).convertShape(VectorOperators.B2I, I, 0);
                    lo1 = ((FloatVector) v.and(0x0F).convert(VectorOperators.I2F, 0)).fma(xLo, lo1);
                    hi1 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 4).convert(VectorOperators.I2F, 0)).fma(xHi, hi1);
                }
                // The scales: finite halves (checked when packing), widened exactly as Simd.f16ToFloats does.
                IntVector h = (IntVector) ShortVector.fromArray(Simd.S, d16, group0 * L).convertShape(VectorOperators.S2I, I, 0);
                FloatVector d = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                        .reinterpretAsInts().or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
                acc0 = lo0.add(hi0).fma(d, acc0);
                h = (IntVector) ShortVector.fromArray(Simd.S, d16, group1 * L).convertShape(VectorOperators.S2I, I, 0);
                d = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                        .reinterpretAsInts().or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
                acc1 = lo1.add(hi1).fma(d, acc1);
            }
            // Simd.sum's butterfly written out: called, it was compiled on its own and cost 10% of
            // decode, its vector argument boxed on every call.
            if (L > 8) {
                acc0 = acc0.add(acc0.rearrange(Simd.XOR8));
                acc1 = acc1.add(acc1.rearrange(Simd.XOR8));
            }
            acc0 = acc0.add(acc0.rearrange(Simd.XOR4));
            acc1 = acc1.add(acc1.rearrange(Simd.XOR4));
            acc0 = acc0.add(acc0.rearrange(Simd.XOR2));
            acc1 = acc1.add(acc1.rearrange(Simd.XOR2));
            acc0 = acc0.add(acc0.rearrange(Simd.XOR1));
            acc1 = acc1.add(acc1.rearrange(Simd.XOR1));
            out[r] = acc0.lane(0) + tail(r, xT);
            out[r1] = acc1.lane(0) + tail(r1, xT);
            r = r1 + 1;
        }
    }

    /**
     * Row {@code r} dequantized into {@code out[off .. off + cols)} in the order of
     * {@link #transpose}, for the batched matmul: every value is exactly the scalar
     * {@code (n - 8) * d}, only its position differs, and a dot product with transposed
     * activations does not depend on the order.
     */
    @Override
    void decodeRow(int r, float[] out, int off) {
        for (int g = 0; g < groups; g++) {
            int group = group(r, g);
            int q = group * groupQuants;
            int o = off + g * GROUP_VALUES;
            IntVector h = (IntVector) ShortVector.fromArray(Simd.S, scales, group * L).convertShape(VectorOperators.S2I, I, 0);
            FloatVector d = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
            for (int k = 0; k < 16; k++) {
                IntVector v = (IntVector) ByteVector.fromArray(BL, quants, q + k * L).convertShape(VectorOperators.B2I, I, 0);
                ((FloatVector) v.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(d).intoArray(out, o + k * L);
                ((FloatVector) v.lanewise(VectorOperators.ASHR, 4).convert(VectorOperators.I2F, 0)).mul(d)
                        .intoArray(out, o + (16 + k) * L);
            }
        }
        decodeTail(r, out, off);
    }
}
