package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.F;
import static io.inferlab.cpu.Simd.I;
import static io.inferlab.cpu.Simd.L;
import static io.inferlab.cpu.Simd.LE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * A Q4_0 matrix laid out again at load time so that each float lane holds one block, like
 * llama.cpp's CPU repacking of Q4_0 (which it does for the same reason).
 *
 * <p>GGML's Q4_0 block is an f16 scale {@code d} and 16 bytes: byte {@code i} holds value
 * {@code i} in its low nibble and value {@code i + 16} in its high nibble, each meaning
 * {@code (n - 8) * d}. Multiplying one block in a vector means widening its 32 nibbles to floats,
 * a multiply per half and a scale: about 15 vector operations per 32 weights, which kept Q4_0
 * decode compute-bound at half of this machine's memory roofline. The Vector API has no int8 dot
 * product to do better on GGML's layout.
 *
 * <p>Here each row's blocks go in groups of {@link Simd#L} (the float lanes); in a group, lane
 * {@code j} belongs to block {@code j}, so one vector operation serves L blocks and a block sum
 * never needs a horizontal reduction:
 * <pre>
 *   [L f16 scales] [byte 0 of blocks 0..L-1] [byte 1 of blocks 0..L-1] ... [byte 15 of blocks 0..L-1]
 * </pre>
 * 18 L bytes, as many as the blocks it replaces. Quant bytes are stored XOR {@code 0x80}: after
 * sign extension, an arithmetic shift by 4 then gives the high value minus 8 directly, while
 * {@code v & 15} gives the low value without the minus 8, which {@link #matvec} folds into the
 * start of its accumulator ({@code -8} times the sum of each block's first 16 activations,
 * once per token). That leaves 7 vector operations per 16 values of L blocks. Blocks after the last
 * whole group stay in GGML's layout at the end of the row, and activations are transposed to
 * match ({@link #transpose}). The source tensor is not changed.
 */
final class InterleavedQ4_0 {
    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 18;
    /** One byte per lane; Q4_0 is not interleaved below 8 lanes (no vector shape is that small). */
    private static final VectorSpecies<Byte> BL = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;
    /** Bytes of one group of L blocks. */
    private static final long GROUP_BYTES = (long) BLOCK_BYTES * L;
    /** Values of one group of L blocks. */
    private static final int GROUP_VALUES = BLOCK * L;

    private final Tensor source;
    private final MemorySegment data;
    private final long rowBytes;
    /** Whole groups per row. */
    private final int groups;
    /** Blocks per row after the groups, kept in GGML's layout. */
    private final int tail;
    private final int rows;

    private InterleavedQ4_0(Tensor source, MemorySegment data) {
        this.source = source;
        this.data = data;
        this.rowBytes = source.rowBytes();
        int blocks = source.cols() / BLOCK;
        this.groups = blocks / L;
        this.tail = blocks - groups * L;
        this.rows = source.rows();
    }

    /** Rows in the pair of row {@code r}: 2, or 1 for an odd last row. */
    private int pairRows(int r) {
        return (r | 1) < rows ? 2 : 1;
    }

    /** Byte offset of group {@code g} of row {@code r}: a pair's groups alternate, row by row. */
    private long groupOffset(int r, int g) {
        return (r & ~1) * rowBytes + ((long) g * pairRows(r) + (r & 1)) * GROUP_BYTES;
    }

    /** Byte offset of row {@code r}'s tail blocks, after its pair's groups. */
    private long tailOffset(int r) {
        return (r & ~1) * rowBytes + groups * pairRows(r) * GROUP_BYTES + (long) (r & 1) * tail * BLOCK_BYTES;
    }

    /**
     * Whether {@code w} gains from the layout: Q4_0 with at least one whole group per row, at
     * least 8 lanes, and every block scale finite (the kernels widen halves without the
     * infinity and NaN case; a matrix with such a scale keeps GGML's layout and exact semantics).
     */
    static boolean applies(Tensor w) {
        return BL != null && w.type() == GgmlType.Q4_0 && w.cols() / BLOCK >= L && finiteScales(w);
    }

    private static boolean finiteScales(Tensor w) {
        MemorySegment s = w.data();
        for (long b = 0; b < s.byteSize(); b += BLOCK_BYTES) {
            if ((s.get(Formats.LE_SHORT, b) & 0x7C00) == 0x7C00) {
                return false;
            }
        }
        return true;
    }

    /** Room for {@code w}'s interleaved copy (packed by {@link #packRows}); it lives as long as {@code arena}. */
    static InterleavedQ4_0 allocate(Tensor w, Arena arena) {
        if (!applies(w)) {
            throw new IllegalArgumentException(w + " cannot be interleaved with " + L + " lanes");
        }
        return new InterleavedQ4_0(w, arena.allocate(w.data().byteSize(), 64));
    }

    Tensor source() {
        return source;
    }

    /**
     * Copies rows {@code [from, to)} of the source into this layout (rows are independent, so
     * threads may split them). Each group goes through a heap array: one bulk copy in, the
     * transposition on the array, one bulk copy out (byte-wise segment access took seconds a model).
     */
    void packRows(int from, int to) {
        MemorySegment src = source.data();
        byte[] in = new byte[(int) GROUP_BYTES];
        byte[] out = new byte[(int) GROUP_BYTES];
        for (int r = from; r < to; r++) {
            long row = r * rowBytes;
            for (int g = 0; g < groups; g++) {
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, row + g * GROUP_BYTES, in, 0, in.length);
                for (int j = 0; j < L; j++) {
                    int block = j * BLOCK_BYTES;
                    out[2 * j] = in[block];
                    out[2 * j + 1] = in[block + 1];
                    for (int k = 0; k < 16; k++) {
                        out[2 * L + k * L + j] = (byte) (in[block + 2 + k] ^ 0x80);
                    }
                }
                MemorySegment.copy(out, 0, data, ValueLayout.JAVA_BYTE, groupOffset(r, g), out.length);
            }
            MemorySegment.copy(src, row + groups * GROUP_BYTES, data, tailOffset(r), (long) tail * BLOCK_BYTES);
        }
    }

    /**
     * {@code batch} rows of activations ({@code cols} each) into {@code xT} in this layout: for
     * group {@code g}, value position {@code p} and lane {@code j},
     * {@code xT[g*32L + p*L + j] = x[(g*L + j)*32 + p]}; the tail is copied as it is.
     */
    void transpose(float[] x, int batch, float[] xT) {
        int cols = source.cols();
        int done = groups * GROUP_VALUES;
        for (int t = 0; t < batch; t++) {
            int base = t * cols;
            for (int g = 0; g < groups; g++) {
                int group = base + g * GROUP_VALUES;
                for (int j = 0; j < L; j++) {
                    int block = group + j * BLOCK;
                    for (int p = 0; p < BLOCK; p++) {
                        xT[group + p * L + j] = x[block + p];
                    }
                }
            }
            System.arraycopy(x, base + done, xT, base + done, cols - done);
        }
    }

    /** {@code bias[b] = -8 * (x[32b] + ... + x[32b + 15])} for every grouped block {@code b} of one token. */
    void lowBias(float[] x, float[] bias) {
        for (int b = 0; b < groups * L; b++) {
            float s = 0;
            for (int p = 0; p < 16; p++) {
                s += x[b * BLOCK + p];
            }
            bias[b] = -8 * s;
        }
    }

    /** Floats {@link #lowBias} writes. */
    int biasLength() {
        return groups * L;
    }

    /**
     * {@code out[r] = w[r] . x} for rows {@code [from, to)}, one token: {@code xT} from
     * {@link #transpose} and {@code bias} from {@link #lowBias}. Rows go in pairs that share each
     * activation load (a quarter fewer operations per block), with four FMA chains in flight;
     * the pair's groups alternate in memory, so each thread still reads one sequential stream
     * (two rows read in step from GGML's row order made two strided streams, which the hardware
     * prefetcher served at a third of the speed).
     */
    void matvec(float[] xT, float[] bias, float[] out, int from, int to) {
        MemorySegment s = data;
        for (int r = from; r < to; ) {
            // A row without its partner here (an odd end) is computed in both slots, which changes nothing.
            int r1 = (r & 1) == 0 && r + 1 < to ? r + 1 : r;
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            for (int g = 0; g < groups; g++) {
                long group0 = groupOffset(r, g);
                long group1 = groupOffset(r1, g);
                int xo = g * GROUP_VALUES;
                FloatVector lo0 = FloatVector.fromArray(F, bias, g * L);
                FloatVector lo1 = lo0;
                FloatVector hi0 = FloatVector.zero(F);
                FloatVector hi1 = FloatVector.zero(F);
                // Written out, not in vector-returning helpers: see MatVec on C2 and inlining.
                for (int k = 0; k < 16; k++) {
                    FloatVector xLo = FloatVector.fromArray(F, xT, xo + k * L);
                    FloatVector xHi = FloatVector.fromArray(F, xT, xo + (16 + k) * L);
                    IntVector v = (IntVector) ByteVector.fromMemorySegment(BL, s, group0 + 2L * L + (long) k * L, LE)
                            .convertShape(VectorOperators.B2I, I, 0);
                    lo0 = ((FloatVector) v.and(0x0F).convert(VectorOperators.I2F, 0)).fma(xLo, lo0);
                    hi0 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 4).convert(VectorOperators.I2F, 0)).fma(xHi, hi0);
                    v = (IntVector) ByteVector.fromMemorySegment(BL, s, group1 + 2L * L + (long) k * L, LE)
                            .convertShape(VectorOperators.B2I, I, 0);
                    lo1 = ((FloatVector) v.and(0x0F).convert(VectorOperators.I2F, 0)).fma(xLo, lo1);
                    hi1 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 4).convert(VectorOperators.I2F, 0)).fma(xHi, hi1);
                }
                // The scales: finite halves (checked when packing), widened exactly as Simd.f16ToFloats does.
                IntVector h = (IntVector) ShortVector.fromMemorySegment(Simd.S, s, group0, LE)
                        .convertShape(VectorOperators.S2I, I, 0);
                FloatVector d = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                        .reinterpretAsInts().or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
                acc0 = lo0.add(hi0).fma(d, acc0);
                h = (IntVector) ShortVector.fromMemorySegment(Simd.S, s, group1, LE).convertShape(VectorOperators.S2I, I, 0);
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

    /** Row {@code r}'s blocks after its groups, in GGML's layout, dotted with their activations. */
    private float tail(int r, float[] xT) {
        return tail == 0 ? 0 : MatVec.q4_0Dot(data, tailOffset(r), tail, xT, groups * GROUP_VALUES);
    }

    /**
     * Row {@code r} dequantized into {@code out[off .. off + cols)} in the order of
     * {@link #transpose}, for the batched matmul: every value is exactly the scalar
     * {@code (n - 8) * d}, only its position differs, and a dot product with transposed
     * activations does not depend on the order.
     */
    void decodeRow(int r, float[] out, int off) {
        MemorySegment s = data;
        for (int g = 0; g < groups; g++) {
            long group = groupOffset(r, g);
            long q = group + 2L * L;
            int o = off + g * GROUP_VALUES;
            IntVector h = (IntVector) ShortVector.fromMemorySegment(Simd.S, s, group, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            FloatVector d = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                    .reinterpretAsInts().or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
            for (int k = 0; k < 16; k++) {
                IntVector v = (IntVector) ByteVector.fromMemorySegment(BL, s, q + (long) k * L, LE)
                        .convertShape(VectorOperators.B2I, I, 0);
                ((FloatVector) v.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(d).intoArray(out, o + k * L);
                ((FloatVector) v.lanewise(VectorOperators.ASHR, 4).convert(VectorOperators.I2F, 0)).mul(d)
                        .intoArray(out, o + (16 + k) * L);
            }
        }
        if (tail > 0) {
            RowDecoder.decode(GgmlType.Q4_0, s, tailOffset(r), tail * BLOCK, out, off + groups * GROUP_VALUES);
        }
    }
}
