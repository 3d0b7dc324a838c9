package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.F;
import static io.inferlab.cpu.Simd.I;
import static io.inferlab.cpu.Simd.L;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.IntStream;

import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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
 * never needs a horizontal reduction. A group is 16 L quant bytes (byte 0 of blocks 0..L-1, byte
 * 1 of blocks 0..L-1, ..., byte 15 of blocks 0..L-1) followed by the L f16 scales: 18 L bytes, as
 * many as the blocks it replaces, all in {@link #quants}. Scales and quants in one array make one
 * stream per pair of rows: with the scales in an array of their own, each thread read four
 * streams, and 1b Q4_0 decode ran 0.86-0.93x as fast ({@code DecodeAbProbe}, 16 rounds each way,
 * 2026-11-27). They are Java arrays, not native memory: the other weights are mapped segments,
 * and when the kernels also read a second kind of segment, the JIT's shared profile of the
 * segment access code made every kernel a third slower (measured: this kernel 1.10 -> 1.65 ns per
 * block, GGML's Q4_0 kernel 1.45 -> 2.0).
 *
 * <p>How the decode kernel turns a quant byte {@code v} (sign-extended to an int) into weights
 * depends on {@link SubnormalOperands}. Where subnormal operands are fast (AMD), bytes are stored
 * as they are, and {@code v & 0x0F} and {@code v & 0xF0} are multiplied as floats without any
 * conversion: they are the subnormals {@code n * 2^-149} and {@code n * 2^-145}, and the
 * activations are scaled to match ({@link #decodeInput}); 5 vector operations per 16 values of
 * L blocks. Elsewhere bytes are stored XOR {@code 0x80}: an arithmetic shift by 4 then gives the
 * high value minus 8 directly, and {@code v & 15}, converted, the low value; 7 operations. Either
 * way the minus 8 that the kernel leaves out is folded into the start of each block's sum:
 * {@code -8} times the sum of the activations it left it out for, once per token.
 *
 * <p>Two rows' groups alternate, so rows multiplied in pairs are still one sequential stream
 * ({@link #matvec} reads two such streams at a time). Blocks after the last whole group are read
 * from the source tensor in GGML's layout, and activations are transposed to match
 * ({@link #transpose}). The source tensor is not changed.
 */
final class InterleavedQ4_0 {
    /** Values of a Q4_0 block. */
    static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 18;
    /** Whether the decode kernel multiplies nibbles as subnormal floats ({@link SubnormalOperands}). */
    private static final boolean SUBNORMAL = SubnormalOperands.FAST;
    /** One byte per lane; Q4_0 is not interleaved below 8 lanes (no vector shape is that small). */
    private static final VectorSpecies<Byte> BL = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;
    /** Bytes of one group of L blocks in GGML's layout. */
    private static final long GROUP_BYTES = (long) BLOCK_BYTES * L;
    /** Quant bytes of one group. */
    private static final int GROUP_QUANTS = 16 * L;
    /** A group in {@link #quants}: its quant bytes, then its L scales as little-endian f16 (one stream to read). */
    private static final int GROUP_STRIDE = GROUP_QUANTS + 2 * L;
    /** The L scales of a group, two bytes a lane. */
    private static final VectorSpecies<Byte> BS = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 16)) : null;
    /** Values of one group of L blocks. */
    static final int GROUP_VALUES = BLOCK * L;
    /** Where the L blocks of a group start, relative to the first: the gather of {@link #decodeInput}. */
    private static final int[] BLOCK_STARTS = IntStream.range(0, L).map(j -> j * BLOCK).toArray();
    /**
     * Widest column slice: its activations (8 KiB of floats) stay in L1 while the weights stream
     * past. A decode pass reads a slice's activations once per four rows, twice as many bytes as
     * those rows' quants, and the 22 KiB of a 5632-wide row's activations did not stay: the
     * 2048 x 5632 FFN-down matrix decoded at 19.9 GB/s against 23.3 for the same bytes as three
     * 2048-column matrices (MatmulProbe shapes, 2 threads, 12 alternating rounds), and a C copy of
     * the kernel ran 40% slower at 5632 columns than at 2048 until its activations were narrowed.
     */
    static final int SLICE_COLUMNS = 2048;

    private final Tensor source;
    /** Groups one after the other (see {@link #group}), each its quant bytes and its scales ({@link #GROUP_STRIDE}). */
    private final byte[] quants;
    private final long rowBytes;
    /** Whole groups per row. */
    private final int groups;
    /** Groups per column slice (see {@link #group}): the last slice may have fewer. */
    private final int sliceGroups;
    /** Column slices: one unless a row is wider than {@link #SLICE_COLUMNS}. */
    private final int slices;
    /** Blocks per row after the groups, kept in GGML's layout. */
    private final int tail;
    private final int rows;

    private InterleavedQ4_0(Tensor source) {
        this.source = source;
        this.rowBytes = source.rowBytes();
        int blocks = source.cols() / BLOCK;
        this.groups = blocks / L;
        this.sliceGroups = Math.max(1, SLICE_COLUMNS / GROUP_VALUES);
        this.slices = Math.max(1, (groups + sliceGroups - 1) / sliceGroups);
        this.tail = blocks - groups * L;
        this.rows = source.rows();
        this.quants = new byte[rows * groups * GROUP_STRIDE];
    }

    /**
     * Which decode kernel runs, for the compute mode: results from hosts that differ here are
     * compared across kernels, not only across machines.
     */
    static String describeKernel() {
        return SUBNORMAL ? "nibbles multiplied as subnormals" : "nibbles converted";
    }

    /** Rows in the pair of row {@code r}: 2, or 1 for an odd last row. */
    private int pairRows(int r) {
        return (r | 1) < rows ? 2 : 1;
    }

    /**
     * Index of group {@code g} of row {@code r} among all groups. The columns are cut into slices
     * of {@link #sliceGroups} groups, stored one after the other (all rows of slice 0, then of
     * slice 1, ...), so a pass over one slice reads one sequential run; in a slice, a pair's
     * groups alternate, row by row.
     */
    private int group(int r, int g) {
        int first = g / sliceGroups * sliceGroups;
        return sliceGroup(r, first, g - first);
    }

    /** Index of group {@code first + i} of row {@code r}, {@code first} the first group of a slice. */
    private int sliceGroup(int r, int first, int i) {
        int width = Math.min(sliceGroups, groups - first);
        return rows * first + (r & ~1) * width + i * pairRows(r) + (r & 1);
    }

    /** Byte offset in the source of row {@code r}'s blocks after its groups. */
    private long tailOffset(int r) {
        return r * rowBytes + groups * GROUP_BYTES;
    }

    /**
     * Whether {@code w} gains from the layout: Q4_0 with at least one whole group per row, at
     * least 8 lanes, and every block scale finite (the kernels widen halves without the
     * infinity and NaN case; a matrix with such a scale keeps GGML's layout and exact semantics).
     */
    static boolean applies(Tensor w) {
        return fits(w) && finiteScales(w);
    }

    /** Q4_0 with at least one whole group per row, at least 8 lanes, and quants that fit one array. */
    private static boolean fits(Tensor w) {
        return BL != null && w.type() == GgmlType.Q4_0 && w.cols() / BLOCK >= L
                && (long) w.rows() * (w.cols() / BLOCK / L) * GROUP_STRIDE <= Integer.MAX_VALUE - 16;
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

    /**
     * Room for {@code w}'s interleaved copy, to be filled by {@link #packRows}: on the Java heap,
     * as large as the matrix (an {@link OutOfMemoryError} if the heap cannot hold it). The caller
     * has checked {@link #applies}; only its shape part is checked again here, not every scale.
     */
    static InterleavedQ4_0 allocate(Tensor w) {
        if (!fits(w)) {
            throw new IllegalArgumentException(w + " cannot be interleaved with " + L + " lanes");
        }
        return new InterleavedQ4_0(w);
    }

    /**
     * Copies rows {@code [from, to)} of the source into this layout (rows are independent, so
     * threads may split them). Each group is copied in bulk to an array and transposed there
     * (byte-wise segment access took seconds a model).
     */
    void packRows(int from, int to) {
        MemorySegment src = source.data();
        byte[] in = new byte[(int) GROUP_BYTES];
        for (int r = from; r < to; r++) {
            long row = r * rowBytes;
            for (int g = 0; g < groups; g++) {
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, row + g * GROUP_BYTES, in, 0, in.length);
                int at = group(r, g);
                for (int j = 0; j < L; j++) {
                    int block = j * BLOCK_BYTES;
                    quants[at * GROUP_STRIDE + GROUP_QUANTS + 2 * j] = in[block];
                    quants[at * GROUP_STRIDE + GROUP_QUANTS + 2 * j + 1] = in[block + 1];
                    for (int k = 0; k < 16; k++) {
                        quants[at * GROUP_STRIDE + k * L + j] = SUBNORMAL ? in[block + 2 + k] : (byte) (in[block + 2 + k] ^ 0x80);
                    }
                }
            }
        }
    }

    /**
     * Rows {@code [from, to)} of activations ({@code cols} each) into {@code xT} in this layout:
     * for group {@code g}, value position {@code p} and lane {@code j} of a row,
     * {@code xT[g*32L + p*L + j] = x[(g*L + j)*32 + p]}; the tail is copied as it is.
     */
    void transpose(float[] x, int from, int to, float[] xT) {
        int cols = source.cols();
        int done = groups * GROUP_VALUES;
        for (int t = from; t < to; t++) {
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

    /** Columns {@link #transpose} reorders: the whole groups'; those after them stay in place. */
    int transposedColumns() {
        return groups * GROUP_VALUES;
    }

    /**
     * One token's activations ({@code cols} floats) made ready for {@link #matvec}: transposed
     * like {@link #transpose}, scaled, and each grouped block's bias, {@code -8} times the sum of
     * its 32 activations, written to {@code bias} (the kernel takes the nibbles without their
     * minus 8 and starts each block's sum from this). Returns the power of two that
     * {@link #matvec} multiplies its sums by to undo the scale.
     *
     * <p>Where {@link SubnormalOperands} says the CPU takes subnormal operands at full speed, the
     * kernel multiplies a nibble {@code n} held at bit 0 (or bit 4) of a float's bits, that is the
     * subnormal {@code n * 2^-149} (or {@code n * 2^-145}); the activations are scaled by
     * {@code 2^a} (or {@code 2^(a-4)}), which brings every product back to {@code n x} times
     * {@code 2^(a-149)}, with {@code a} as large as the largest activation allows
     * ({@code max |x| * 2^a < 2^126}), so that products stay normal down to activations 2^-102
     * times the largest. Scaling by a power of two is exact, so the sums are those of converted
     * nibbles, up to the rounding of products that small. Elsewhere the kernel converts
     * ({@code n} for the low nibble, {@code n - 8} for the high one), the activations are not
     * scaled, the bias covers the low 16 values only, and the returned power is 0.
     */
    int decodeInput(float[] x, float[] xT, float[] bias) {
        int cols = source.cols();
        int a = SUBNORMAL ? Math.min(Float.MAX_EXPONENT, 125 - Math.getExponent(maxAbs(x, cols))) : 0; // an exponent past 127 (zeros, NaN) scales by 2^127 at most
        int unscale = SUBNORMAL ? 149 - a : 0;
        float low = Math.scalb(1f, a);
        float high = SUBNORMAL ? Math.scalb(1f, a - 4) : 1; // a subnormal high nibble is read 16 times its value
        int biased = SUBNORMAL ? BLOCK : 16; // stored XOR 0x80, the high values come signed
        // Value p of the group's L blocks, gathered (their starts are BLOCK apart), is row p of the
        // transposed group as it is; and added up over p in order, lane by lane, the blocks'
        // sums come out as the scalar loop's. The loop was scalar until 2026-11-27: on the main
        // thread while the workers waited, 4.6 us for a 2048-wide matrix, 2.8% of 1b decode.
        for (int g = 0; g < groups; g++) {
            int group = g * GROUP_VALUES;
            FloatVector sum = FloatVector.zero(F);
            for (int p = 0; p < BLOCK; p++) {
                FloatVector v = FloatVector.fromArray(F, x, group + p, BLOCK_STARTS, 0);
                sum = p < biased ? sum.add(v) : sum;
                v.mul(p < 16 ? low : high).intoArray(xT, group + p * L);
            }
            sum.intoArray(bias, g * L);
            for (int j = g * L; j < (g + 1) * L; j++) {
                bias[j] = Math.scalb(-8 * bias[j], -unscale);
            }
        }
        int done = groups * GROUP_VALUES;
        System.arraycopy(x, done, xT, done, cols - done); // the tail's blocks, read unscaled in GGML's layout
        return unscale;
    }

    /** The largest {@code |x[i]|} of the first {@code n}, NaN if there is one (as {@link Math#max}). */
    private static float maxAbs(float[] x, int n) {
        FloatVector max = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            max = max.max(FloatVector.fromArray(F, x, i).abs());
        }
        float m = max.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, Math.abs(x[i]));
        }
        return m;
    }

    /** Floats {@link #decodeInput} writes to its bias. */
    int biasLength() {
        return groups * L;
    }

    /**
     * {@code out[r] = w[r] . x} for rows {@code [from, to)}, one token: {@code xT}, {@code bias}
     * and {@code unscale} from {@link #decodeInput}. Rows go in pairs, whose groups
     * alternate in memory (see the class comment), and two pairs at a time, one from each half
     * of the range: so each thread reads two sequential streams half a range apart. One stream
     * left the core waiting on memory: two measured 11-15% more GB/s in {@code MatmulProbe}
     * (decode of 545 MB of 1B-shaped Q4_0 matrices, 2 threads: 26.2-26.5 against 29.4-30.2 GB/s
     * in three alternating rounds; three streams no more than two) and 9% more tokens/s in a 1b
     * model's decode (42.8 against 46.6 on average over five alternating rounds). Two pairs read
     * in step from neighbouring places instead, which also shares each activation load four ways,
     * ran at half the speed: the hardware prefetcher needs the streams apart. A matrix wider than
     * one column slice is passed over slice by slice, each row's partial sums added up in
     * {@code out} in slice order.
     */
    void matvec(float[] xT, float[] bias, int unscale, float[] out, int from, int to) {
        // A float times a power of two in double, rounded to float once: exact, as Math.scalb
        // would be; but Math.scalb, not inlined into the large fourRows, made decode 8% slower.
        double factor = Math.scalb(1.0, unscale);
        for (int slice = 0; slice < slices; slice++) {
            int start = from;
            if ((start & 1) != 0 && start < to) { // pairs start at even rows: a range starting mid-pair takes its first row alone
                fourRows(xT, bias, factor, out, start, start, start, start, slice);
                start++;
            }
            int half = (to - start) / 2 & ~1;
            for (int a = start, b = start + half; a < start + half; a += 2, b += 2) {
                fourRows(xT, bias, factor, out, a, a + 1, b, b + 1, slice);
            }
            // What the halves leave: at most three rows at the end.
            for (int r = start + 2 * half; r < to; ) {
                int r1 = (r & 1) == 0 && r + 1 < to ? r + 1 : r;
                fourRows(xT, bias, factor, out, r, r1, r, r1, slice);
                r = r1 + 1;
            }
        }
    }

    /**
     * Rows {@code a0..b1} (the pairs {@code a0, a1} and {@code b0, b1}, a row given twice where
     * it has no partner) dotted with the activations, sharing each activation load, with one
     * accumulator per row and per nibble half. Every row is computed by the same operations in
     * the same order whichever slot it has, so a row's result never depends on how rows were
     * split across threads.
     */
    private void fourRows(float[] xT, float[] bias, double factor, float[] out, int a0, int a1, int b0, int b1, int slice) {
        byte[] q = quants;
        int first = slice * sliceGroups;
        int width = Math.min(sliceGroups, groups - first);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        for (int i = 0; i < width; i++) {
            int g = first + i;
            int ga0 = sliceGroup(a0, first, i);
            int ga1 = sliceGroup(a1, first, i);
            int gb0 = sliceGroup(b0, first, i);
            int gb1 = sliceGroup(b1, first, i);
            int xo = g * GROUP_VALUES;
            FloatVector lo0 = FloatVector.fromArray(F, bias, g * L);
            FloatVector lo1 = lo0;
            FloatVector lo2 = lo0;
            FloatVector lo3 = lo0;
            FloatVector hi0 = FloatVector.zero(F);
            FloatVector hi1 = hi0;
            FloatVector hi2 = hi0;
            FloatVector hi3 = hi0;
            // Written out, not in vector-returning helpers (see MatVec on C2 and inlining), but for
            // the one-operation low and high, which C2 inlines (measured as fast as written out).
            for (int k = 0; k < 16; k++) {
                FloatVector xLo = FloatVector.fromArray(F, xT, xo + k * L);
                FloatVector xHi = FloatVector.fromArray(F, xT, xo + (16 + k) * L);
                IntVector v = (IntVector) ByteVector.fromArray(BL, q, ga0 * GROUP_STRIDE + k * L).convertShape(VectorOperators.B2I, I, 0);
                lo0 = low(v).fma(xLo, lo0);
                hi0 = high(v).fma(xHi, hi0);
                v = (IntVector) ByteVector.fromArray(BL, q, ga1 * GROUP_STRIDE + k * L).convertShape(VectorOperators.B2I, I, 0);
                lo1 = low(v).fma(xLo, lo1);
                hi1 = high(v).fma(xHi, hi1);
                v = (IntVector) ByteVector.fromArray(BL, q, gb0 * GROUP_STRIDE + k * L).convertShape(VectorOperators.B2I, I, 0);
                lo2 = low(v).fma(xLo, lo2);
                hi2 = high(v).fma(xHi, hi2);
                v = (IntVector) ByteVector.fromArray(BL, q, gb1 * GROUP_STRIDE + k * L).convertShape(VectorOperators.B2I, I, 0);
                lo3 = low(v).fma(xLo, lo3);
                hi3 = high(v).fma(xHi, hi3);
            }
            // The scales: finite halves (checked when packing), widened exactly as
            // Float.float16ToFloat does, in 4 operations: sign-extended and shifted, a half's sign
            // lands on bit 31 and its exponent and mantissa on float's places, the and clears the
            // sign's other copies, and the multiply scales by 2^(127-15), exact for normal and
            // subnormal halves (the test tries all 63488 finite ones). Simd.f16ToFloats's form,
            // with the sign apart, took 7; decode measured +3% and +0% against it in two
            // same-process A/Bs of 25 rounds. The scales' offset is written out too: through a
            // static helper (group * GROUP_STRIDE + GROUP_QUANTS) 1b Q4_0 decode ran 0.72-0.80x
            // as fast (DecodeAbProbe, 10 rounds each way, 2026-11-27).
            IntVector h = (IntVector) ByteVector.fromArray(BS, q, ga0 * GROUP_STRIDE + GROUP_QUANTS).reinterpretAsShorts()
                    .convertShape(VectorOperators.S2I, I, 0);
            FloatVector d = h.lanewise(VectorOperators.LSHL, 13).and(0x8FFF_FFFF).reinterpretAsFloats().mul(0x1p112f);
            acc0 = lo0.add(hi0).fma(d, acc0);
            h = (IntVector) ByteVector.fromArray(BS, q, ga1 * GROUP_STRIDE + GROUP_QUANTS).reinterpretAsShorts()
                    .convertShape(VectorOperators.S2I, I, 0);
            d = h.lanewise(VectorOperators.LSHL, 13).and(0x8FFF_FFFF).reinterpretAsFloats().mul(0x1p112f);
            acc1 = lo1.add(hi1).fma(d, acc1);
            h = (IntVector) ByteVector.fromArray(BS, q, gb0 * GROUP_STRIDE + GROUP_QUANTS).reinterpretAsShorts()
                    .convertShape(VectorOperators.S2I, I, 0);
            d = h.lanewise(VectorOperators.LSHL, 13).and(0x8FFF_FFFF).reinterpretAsFloats().mul(0x1p112f);
            acc2 = lo2.add(hi2).fma(d, acc2);
            h = (IntVector) ByteVector.fromArray(BS, q, gb1 * GROUP_STRIDE + GROUP_QUANTS).reinterpretAsShorts()
                    .convertShape(VectorOperators.S2I, I, 0);
            d = h.lanewise(VectorOperators.LSHL, 13).and(0x8FFF_FFFF).reinterpretAsFloats().mul(0x1p112f);
            acc3 = lo3.add(hi3).fma(d, acc3);
        }
        // Simd.sum's butterfly written out: called, it was compiled on its own and cost 10% of
        // decode, its vector argument boxed on every call.
        if (L > 8) {
            acc0 = acc0.add(acc0.rearrange(Simd.XOR8));
            acc1 = acc1.add(acc1.rearrange(Simd.XOR8));
            acc2 = acc2.add(acc2.rearrange(Simd.XOR8));
            acc3 = acc3.add(acc3.rearrange(Simd.XOR8));
        }
        acc0 = acc0.add(acc0.rearrange(Simd.XOR4));
        acc1 = acc1.add(acc1.rearrange(Simd.XOR4));
        acc2 = acc2.add(acc2.rearrange(Simd.XOR4));
        acc3 = acc3.add(acc3.rearrange(Simd.XOR4));
        acc0 = acc0.add(acc0.rearrange(Simd.XOR2));
        acc1 = acc1.add(acc1.rearrange(Simd.XOR2));
        acc2 = acc2.add(acc2.rearrange(Simd.XOR2));
        acc3 = acc3.add(acc3.rearrange(Simd.XOR2));
        acc0 = acc0.add(acc0.rearrange(Simd.XOR1));
        acc1 = acc1.add(acc1.rearrange(Simd.XOR1));
        acc2 = acc2.add(acc2.rearrange(Simd.XOR1));
        acc3 = acc3.add(acc3.rearrange(Simd.XOR1));
        // A slice's sums go after those of the slices before it, the blocks after the groups last.
        // Every slot is summed before any is written: slots repeat a row where it has no
        // partner, and each must start from the row's value before this slice.
        float s0 = (float) (acc0.lane(0) * factor) + (slice == 0 ? 0 : out[a0]);
        float s1 = (float) (acc1.lane(0) * factor) + (slice == 0 ? 0 : out[a1]);
        float s2 = (float) (acc2.lane(0) * factor) + (slice == 0 ? 0 : out[b0]);
        float s3 = (float) (acc3.lane(0) * factor) + (slice == 0 ? 0 : out[b1]);
        if (slice == slices - 1 && tail > 0) {
            s0 += tail(a0, xT);
            s1 += tail(a1, xT);
            s2 += tail(b0, xT);
            s3 += tail(b1, xT);
        }
        out[a0] = s0;
        out[a1] = s1;
        out[b0] = s2;
        out[b1] = s3;
    }

    /** A quant byte's low nibble as the kernel multiplies it: {@code n}, or {@code n * 2^-149} (see {@link #decodeInput}). */
    private static FloatVector low(IntVector quant) {
        IntVector n = quant.and(0x0F);
        return SUBNORMAL ? n.reinterpretAsFloats() : (FloatVector) n.convert(VectorOperators.I2F, 0);
    }

    /**
     * A quant byte's high nibble as the kernel multiplies it: {@code n * 2^-145} where bytes are
     * stored as they are, {@code n - 8} where stored XOR 0x80 (see the class comment).
     */
    private static FloatVector high(IntVector quant) {
        return SUBNORMAL ? quant.and(0xF0).reinterpretAsFloats()
                : (FloatVector) quant.lanewise(VectorOperators.ASHR, 4).convert(VectorOperators.I2F, 0);
    }

    /** A quant byte's high value, {@code n - 8}, from either way of storing it. */
    private static IntVector highValue(IntVector quant) {
        IntVector shifted = quant.lanewise(VectorOperators.ASHR, 4);
        return SUBNORMAL ? shifted.and(0x0F).sub(8) : shifted;
    }

    /** Row {@code r}'s blocks after its groups, in GGML's layout, dotted with their activations. */
    private float tail(int r, float[] xT) {
        return MatVec.q4_0Dot(source.data(), tailOffset(r), tail, xT, groups * GROUP_VALUES);
    }

    /**
     * Row {@code r} dequantized into {@code out[off .. off + cols)} in GGML's order (an embedding
     * lookup of a matrix tied as output): each value exactly the scalar {@code (n - 8) * d}.
     */
    void getRow(int r, float[] out, int off) {
        for (int g = 0; g < groups; g++) {
            int group = group(r, g);
            for (int j = 0; j < L; j++) {
                int at = group * GROUP_STRIDE + GROUP_QUANTS + 2 * j;
                float d = Float.float16ToFloat((short) ((quants[at] & 0xFF) | quants[at + 1] << 8));
                int block = off + (g * L + j) * BLOCK;
                for (int k = 0; k < 16; k++) {
                    int v = quants[group * GROUP_STRIDE + k * L + j];
                    out[block + k] = ((v & 0x0F) - 8) * d;
                    out[block + 16 + k] = (SUBNORMAL ? (v >> 4 & 0x0F) - 8 : v >> 4) * d;
                }
            }
        }
        if (tail > 0) {
            Formats.dequantize(GgmlType.Q4_0, source.data(), (long) r * source.cols() + groups * GROUP_VALUES, out,
                    off + groups * GROUP_VALUES, tail * BLOCK); // scalar, as VectorKernels.getRow says why
        }
    }

    /**
     * Row {@code r} dequantized in the order of {@link #transpose}, for the batched matmul, vector
     * {@code v} at {@code out[off + v * step ..]} ({@code step} {@link Simd#L} for a plain row,
     * more for {@link TileMatmul}'s panels): every value is exactly the scalar
     * {@code (n - 8) * d}, only its position differs, and a dot product with transposed
     * activations does not depend on the order.
     */
    void decodeRow(int r, float[] out, int off, int step) {
        for (int g = 0; g < groups; g++) {
            int group = group(r, g);
            int q = group * GROUP_STRIDE;
            int o = off + g * BLOCK * step; // a group is BLOCK vectors: value position p of L blocks each
            IntVector h = (IntVector) ByteVector.fromArray(BS, quants, q + GROUP_QUANTS).reinterpretAsShorts()
                    .convertShape(VectorOperators.S2I, I, 0);
            FloatVector d = h.lanewise(VectorOperators.LSHL, 13).and(0x8FFF_FFFF).reinterpretAsFloats().mul(0x1p112f);
            for (int k = 0; k < 16; k++) {
                IntVector v = (IntVector) ByteVector.fromArray(BL, quants, q + k * L).convertShape(VectorOperators.B2I, I, 0);
                ((FloatVector) v.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(d).intoArray(out, o + k * step);
                ((FloatVector) highValue(v).convert(VectorOperators.I2F, 0)).mul(d)
                        .intoArray(out, o + (16 + k) * step);
            }
        }
        if (tail > 0) {
            RowDecoder.decode(GgmlType.Q4_0, source.data(), tailOffset(r), tail * BLOCK, out, off + groups * BLOCK * step, step);
        }
    }
}
