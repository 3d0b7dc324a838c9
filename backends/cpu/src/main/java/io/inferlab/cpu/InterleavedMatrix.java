package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.L;

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
 * A quantized matrix laid out again at load time so that each float lane holds one block, like
 * llama.cpp's CPU repacking (done for the same reason). Multiplying one GGML block in a vector
 * means widening its 32 quants to floats, a multiply per vector and a horizontal block sum or a
 * scale broadcast: about 11 (Q8_0) to 15 (Q4_0) vector operations per 32 weights, which keeps
 * decode compute-bound well below the memory roofline. The Vector API has no int8 dot product to
 * do better on GGML's layout.
 *
 * <p>Here each row's blocks go in groups of {@link Simd#L} (the float lanes); in a group, lane
 * {@code j} belongs to block {@code j}, so one vector operation serves L blocks and a block never
 * needs a horizontal sum. A group is L f16 scales (in {@link #scales}) and the blocks' quant bytes
 * (in {@link #quants}), byte 0 of blocks 0..L-1, then byte 1 of blocks 0..L-1, and so on: as many
 * bytes as the blocks it replaces. Two rows' groups alternate, so rows multiplied in pairs (which
 * share every activation load) are still one sequential stream for the prefetcher. Blocks after
 * the last whole group are read from the source tensor in GGML's layout, and activations are
 * transposed to match ({@link #transpose}). The source tensor is not changed.
 *
 * <p>The copies are Java arrays, not native memory: the other weights are mapped segments, and
 * when the kernels also read a second kind of segment, the JIT's shared profile of the segment
 * access code made every kernel a third slower (measured: the Q4_0 kernel here 1.10 -> 1.65 ns
 * per block, GGML's Q4_0 kernel 1.45 -> 2.0).
 */
abstract sealed class InterleavedMatrix permits InterleavedQ4_0, InterleavedQ8_0 {
    static final int BLOCK = 32;
    /** One byte per lane; nothing is interleaved below 8 lanes (no vector shape is that small). */
    static final VectorSpecies<Byte> BL = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;
    /** Values of one group of L blocks. */
    static final int GROUP_VALUES = BLOCK * L;

    final Tensor source;
    /** Quant bytes, group after group (see {@link #group}). */
    final byte[] quants;
    /** Block scales as f16 bits, L per group, in the same order. */
    final short[] scales;
    /** Whole groups per row. */
    final int groups;
    /** Blocks per row after the groups, read from the source. */
    final int tail;
    final int rows;
    final long rowBytes;
    /** Bytes of a block in GGML's layout, and quant bytes of one group here. */
    final int blockBytes;
    final int groupQuants;

    InterleavedMatrix(Tensor source) {
        this.source = source;
        this.rowBytes = source.rowBytes();
        this.blockBytes = source.type().typeSize();
        this.groupQuants = (blockBytes - 2) * L;
        int blocks = source.cols() / BLOCK;
        this.groups = blocks / L;
        this.tail = blocks - groups * L;
        this.rows = source.rows();
        this.quants = new byte[rows * groups * groupQuants];
        this.scales = new short[rows * groups * L];
    }

    /**
     * Whether {@code w} is interleaved: Q4_0 or Q8_0 with at least one whole group per row, at
     * least 8 lanes, quants that fit one array, and every block scale finite (the kernels widen
     * halves without the infinity and NaN case; a matrix with such a scale keeps GGML's layout).
     */
    static boolean applies(Tensor w) {
        if (BL == null || (w.type() != GgmlType.Q4_0 && w.type() != GgmlType.Q8_0) || w.cols() / BLOCK < L) {
            return false;
        }
        long quantBytes = (long) w.rows() * (w.cols() / BLOCK / L) * (w.type().typeSize() - 2) * L;
        return quantBytes <= Integer.MAX_VALUE - 16 && finiteScales(w);
    }

    private static boolean finiteScales(Tensor w) {
        MemorySegment s = w.data();
        long step = w.type().typeSize();
        for (long b = 0; b < s.byteSize(); b += step) {
            if ((s.get(Formats.LE_SHORT, b) & 0x7C00) == 0x7C00) {
                return false;
            }
        }
        return true;
    }

    /**
     * An empty interleaved copy of {@code w}, to be filled by {@link #packRows}: on the Java heap,
     * as large as the matrix (an {@link OutOfMemoryError} if the heap cannot hold it).
     */
    static InterleavedMatrix allocate(Tensor w) {
        if (!applies(w)) {
            throw new IllegalArgumentException(w + " cannot be interleaved with " + L + " lanes");
        }
        return w.type() == GgmlType.Q4_0 ? new InterleavedQ4_0(w) : new InterleavedQ8_0(w);
    }

    /** Rows in the pair of row {@code r}: 2, or 1 for an odd last row. */
    final int pairRows(int r) {
        return (r | 1) < rows ? 2 : 1;
    }

    /** Index of group {@code g} of row {@code r} among all groups: a pair's groups alternate, row by row. */
    final int group(int r, int g) {
        return (r & ~1) * groups + g * pairRows(r) + (r & 1);
    }

    /** Byte offset in the source of row {@code r}'s blocks after its groups. */
    final long tailOffset(int r) {
        return r * rowBytes + (long) groups * L * blockBytes;
    }

    /**
     * Copies rows {@code [from, to)} of the source into this layout (rows are independent, so
     * threads may split them). Each group is copied in bulk to an array and transposed there
     * (byte-wise segment access took seconds a model).
     */
    final void packRows(int from, int to) {
        MemorySegment src = source.data();
        byte[] in = new byte[blockBytes * L];
        int perBlock = blockBytes - 2;
        for (int r = from; r < to; r++) {
            long row = r * rowBytes;
            for (int g = 0; g < groups; g++) {
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, row + (long) g * in.length, in, 0, in.length);
                int at = group(r, g);
                for (int j = 0; j < L; j++) {
                    int block = j * blockBytes;
                    scales[at * L + j] = (short) ((in[block] & 0xFF) | in[block + 1] << 8);
                    for (int k = 0; k < perBlock; k++) {
                        quants[at * groupQuants + k * L + j] = quant(in[block + 2 + k]);
                    }
                }
            }
        }
    }

    /** A quant byte as stored here. */
    abstract byte quant(byte ggml);

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

    /** Floats of {@link #bias} for one token (0 where none is needed). */
    int biasLength() {
        return 0;
    }

    /** Per-block terms {@link #matvec} starts its accumulators from, for one token {@code x}. */
    void bias(float[] x, float[] bias) {
    }

    /**
     * {@code out[r] = w[r] . x} for rows {@code [from, to)}, one token: {@code xT} from
     * {@link #transpose} and {@code bias} from {@link #bias}.
     */
    abstract void matvec(float[] xT, float[] bias, float[] out, int from, int to);

    /**
     * Row {@code r} dequantized into {@code out[off .. off + cols)} in the order of
     * {@link #transpose}, for the batched matmul: every value is exactly GGML's, only its
     * position differs, and a dot product with transposed activations does not depend on it.
     */
    abstract void decodeRow(int r, float[] out, int off);

    /** Row {@code r}'s blocks after its groups, in GGML's layout, dotted with their activations. */
    final float tail(int r, float[] xT) {
        if (tail == 0) {
            return 0;
        }
        return source.type() == GgmlType.Q4_0
                ? MatVec.q4_0Dot(source.data(), tailOffset(r), tail, xT, groups * GROUP_VALUES)
                : MatVec.q8_0Dot(source.data(), tailOffset(r), tail, xT, groups * GROUP_VALUES);
    }

    /** The tail of row {@code r}, decoded in GGML's order after the groups. */
    final void decodeTail(int r, float[] out, int off) {
        if (tail > 0) {
            RowDecoder.decode(source.type(), source.data(), tailOffset(r), tail * BLOCK, out, off + groups * GROUP_VALUES);
        }
    }

    /** L f16 scales from {@code scales[at..]}: finite (checked when packing), widened exactly as Simd.f16ToFloats does. */
    // (Each kernel writes this out; see MatVec on vector-returning helpers.)
}
