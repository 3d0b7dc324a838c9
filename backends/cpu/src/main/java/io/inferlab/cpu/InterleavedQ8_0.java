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
 * Q8_0 in the {@link InterleavedMatrix} layout: GGML's block is an f16 scale {@code d} and 32
 * signed bytes {@code q}, each meaning {@code q * d}; they are stored as they are. Per 32 values
 * of L blocks: one widening load, one conversion and one FMA per value position, where GGML's
 * layout needs two of each per block plus a broadcast scale.
 */
final class InterleavedQ8_0 extends InterleavedMatrix {
    InterleavedQ8_0(Tensor source) {
        super(source);
    }

    @Override
    byte quant(byte ggml) {
        return ggml;
    }

    /**
     * Rows go in pairs that share each activation load, with four FMA chains in flight (two per
     * row, even and odd value positions).
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
                FloatVector even0 = FloatVector.zero(F);
                FloatVector odd0 = FloatVector.zero(F);
                FloatVector even1 = FloatVector.zero(F);
                FloatVector odd1 = FloatVector.zero(F);
                // Written out, not in vector-returning helpers: see MatVec on C2 and inlining.
                for (int k = 0; k < BLOCK; k += 2) {
                    FloatVector x0 = FloatVector.fromArray(F, xT, xo + k * L);
                    FloatVector x1 = FloatVector.fromArray(F, xT, xo + (k + 1) * L);
                    even0 = ((FloatVector) ByteVector.fromArray(BL, q, q0 + k * L).convertShape(VectorOperators.B2F, F, 0))
                            .fma(x0, even0);
                    odd0 = ((FloatVector) ByteVector.fromArray(BL, q, q0 + (k + 1) * L).convertShape(VectorOperators.B2F, F, 0))
                            .fma(x1, odd0);
                    even1 = ((FloatVector) ByteVector.fromArray(BL, q, q1 + k * L).convertShape(VectorOperators.B2F, F, 0))
                            .fma(x0, even1);
                    odd1 = ((FloatVector) ByteVector.fromArray(BL, q, q1 + (k + 1) * L).convertShape(VectorOperators.B2F, F, 0))
                            .fma(x1, odd1);
                }
                // The scales: finite halves (checked when packing), widened exactly as Simd.f16ToFloats does.
                IntVector h = (IntVector) ShortVector.fromArray(Simd.S, d16, group0 * L).convertShape(VectorOperators.S2I, I, 0);
                FloatVector d = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                        .reinterpretAsInts().or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
                acc0 = even0.add(odd0).fma(d, acc0);
                h = (IntVector) ShortVector.fromArray(Simd.S, d16, group1 * L).convertShape(VectorOperators.S2I, I, 0);
                d = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                        .reinterpretAsInts().or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
                acc1 = even1.add(odd1).fma(d, acc1);
            }
            // Simd.sum's butterfly written out: called, it was compiled on its own and its vector
            // argument boxed on every call.
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

    @Override
    void decodeRow(int r, float[] out, int off) {
        for (int g = 0; g < groups; g++) {
            int group = group(r, g);
            int q = group * groupQuants;
            int o = off + g * GROUP_VALUES;
            IntVector h = (IntVector) ShortVector.fromArray(Simd.S, scales, group * L).convertShape(VectorOperators.S2I, I, 0);
            FloatVector d = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
            for (int k = 0; k < BLOCK; k++) {
                ((FloatVector) ByteVector.fromArray(BL, quants, q + k * L).convertShape(VectorOperators.B2F, F, 0)).mul(d)
                        .intoArray(out, o + k * L);
            }
        }
        decodeTail(r, out, off);
    }
}
