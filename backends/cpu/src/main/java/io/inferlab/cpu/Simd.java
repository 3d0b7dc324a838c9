package io.inferlab.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import io.inferlab.engine.tensor.Formats;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector shapes and the small conversions every kernel shares. All species are {@code static
 * final} so C2 sees them as constants: the Vector API only compiles to SIMD instructions when the
 * species is known at compile time.
 *
 * <p>Lane counts come from the species, never from literals: the same code runs with 16 float
 * lanes (AVX-512), 8 (AVX2, or {@code -XX:MaxVectorSize=32}) or 4 (NEON, SSE). The tests run the
 * whole suite under all three widths.
 */
final class Simd {
    /** The float species of every kernel: the preferred one, kept between 4 and 16 lanes. */
    static final VectorSpecies<Float> F = chooseFloatSpecies();
    /** Float lanes per vector. */
    static final int L = F.length();
    /** Ints with the float species' lane count (bit tricks on float bits, f16/bf16 widening). */
    static final VectorSpecies<Integer> I = F.withLanes(int.class);
    /** Shorts with the float species' lane count: one vector of f16/bf16 weights per float vector. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * Short.SIZE));
    /** 16 bytes: half of a Q8_0 block's quants, or all 32 nibbles of a Q4_0/MXFP4 block. */
    static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    /** Float vectors one 16-byte group widens into (1 at 16 lanes, 2 at 8, 4 at 4). */
    static final int PARTS = 16 / L;
    /** GGUF is little-endian whatever the host. */
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    // Butterfly shuffles for the deterministic horizontal sum (null where the vector is narrower).
    static final VectorShuffle<Float> XOR8 = L > 8 ? VectorShuffle.fromOp(F, i -> i ^ 8) : null;
    static final VectorShuffle<Float> XOR4 = L > 4 ? VectorShuffle.fromOp(F, i -> i ^ 4) : null;
    static final VectorShuffle<Float> XOR2 = VectorShuffle.fromOp(F, i -> i ^ 2);
    static final VectorShuffle<Float> XOR1 = VectorShuffle.fromOp(F, i -> i ^ 1);

    /** MXFP4's E2M1 code points doubled, so every one is an exact int8 (the scale is halved to match). */
    private static final ByteVector E2M1_X2 = ByteVector.fromArray(B16,
            new byte[] {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12}, 0);
    /** E8M0 scale byte -> 2^(e-127) / 2, the partner of {@link #E2M1_X2}; Formats' own decoding keeps
     *  e = 0 and e = 255 (infinity) the same as the scalar reference. */
    private static final float[] HALF_E8M0 = new float[256];

    static {
        for (int e = 0; e < 256; e++) {
            HALF_E8M0[e] = Formats.e8m0ToFloat(e) * 0.5f;
        }
    }

    private Simd() {
    }

    private static VectorSpecies<Float> chooseFloatSpecies() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        // A 32-value quant block must hold a whole number of vectors (<= 16 lanes), and a 16-byte
        // group must widen into a whole number of them (>= 4 lanes).
        if (preferred.length() > 16) {
            return FloatVector.SPECIES_512;
        }
        if (preferred.length() < 4) {
            return FloatVector.SPECIES_128;
        }
        return preferred;
    }

    /** e.g. "512-bit (16 x f32)". */
    static String describe() {
        return F.vectorBitSize() + "-bit (" + L + " x f32)";
    }

    /**
     * Sum of the lanes in a fixed butterfly order. {@code reduceLanes(ADD)} may sum in any order
     * and does differ between the interpreter and C2, which would make results depend on which
     * thread happened to run compiled code; this order is the same everywhere.
     */
    static float sum(FloatVector v) {
        if (L > 8) {
            v = v.add(v.rearrange(XOR8));
        }
        if (L > 4) {
            v = v.add(v.rearrange(XOR4));
        }
        v = v.add(v.rearrange(XOR2));
        v = v.add(v.rearrange(XOR1));
        return v.lane(0);
    }

    /**
     * {@link #sum(FloatVector)} of the {@link #L} floats at {@code a[off]}. For kernels whose
     * accumulators are stored first: a call that C2 does not inline passes an array without
     * boxing anything, where a vector argument is boxed on every call.
     */
    static float sum(float[] a, int off) {
        return sum(FloatVector.fromArray(F, a, off));
    }

    /** Part {@code part} (of {@link #PARTS}) of 16 signed bytes as floats. */
    static FloatVector bytesToFloats(ByteVector q, int part) {
        return (FloatVector) q.convertShape(VectorOperators.B2F, F, part);
    }

    /** 16 bytes at {@code off}. */
    static ByteVector load16(MemorySegment s, long off) {
        return ByteVector.fromMemorySegment(B16, s, off, LE);
    }

    /** Part {@code part} (of {@link #PARTS}) of 16 bytes widened to ints (sign-extended; callers mask). */
    static IntVector bytesToInts(ByteVector q, int part) {
        return (IntVector) q.convertShape(VectorOperators.B2I, I, part);
    }

    /** Low nibble of each int, minus 8, as a float: Q4_0's values 0..15 of a block. */
    static FloatVector lowNibbleMinus8(IntVector qi) {
        return nibbleMinus8(qi.and(0x0F));
    }

    /** Bits 4..7 of each int, minus 8, as a float: Q4_0's values 16..31 of a block. */
    static FloatVector highNibbleMinus8(IntVector qi) {
        return nibbleMinus8(qi.lanewise(VectorOperators.ASHR, 4).and(0x0F));
    }

    /** {@code n - 8} as a float. (Or-ing n into the mantissa of 2^23 and subtracting 2^23 + 8 needs
     *  fewer instructions on paper, but measured slower: C2 reloads the constants every block.) */
    private static FloatVector nibbleMinus8(IntVector n) {
        return (FloatVector) n.sub(8).convert(VectorOperators.I2F, 0);
    }

    /**
     * The high nibble of each byte. x86 has no byte shift, so shift 16-bit lanes and mask: the
     * bits that cross into a byte from its neighbour land in its high nibble and are masked off,
     * whichever byte order the lanes have.
     */
    static ByteVector highNibbles(ByteVector q) {
        return q.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
    }

    /** Nibbles (0..15) -> doubled E2M1 values as int8. */
    static ByteVector e2m1x2(ByteVector nibbles) {
        return nibbles.selectFrom(E2M1_X2);
    }

    /** Scale of an MXFP4 block for the doubled E2M1 values of {@link #e2m1x2}. */
    static float mxfp4HalfScale(byte e) {
        return HALF_E8M0[e & 0xFF];
    }

    /** {@link #L} little-endian IEEE halves at {@code off}, widened exactly like {@link Float#float16ToFloat}. */
    static FloatVector f16ToFloats(MemorySegment s, long off) {
        ShortVector h = ShortVector.fromMemorySegment(S, s, off, LE);
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        IntVector magnitude = bits.and(0x7FFF);
        IntVector sign = bits.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        // Exponent and mantissa moved to float position, then scaled by 2^(127-15): exact for
        // normal halves, and subnormal halves become float subnormals times 2^112, also exact.
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        // Half infinities and NaNs (exponent 31) keep their mantissa under float's all-ones exponent.
        IntVector special = shifted.or(0x7F80_0000);
        IntVector result = finite.blend(special, magnitude.compare(VectorOperators.GE, 0x7C00));
        return result.or(sign).reinterpretAsFloats();
    }

    /** {@link #L} little-endian bfloat16 values at {@code off}: the upper halves of floats. */
    static FloatVector bf16ToFloats(MemorySegment s, long off) {
        ShortVector h = ShortVector.fromMemorySegment(S, s, off, LE);
        // Sign extension fills the upper bits, which the shift then pushes out.
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        return bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** {@link #L} little-endian floats at {@code off}. */
    static FloatVector f32s(MemorySegment s, long off) {
        return FloatVector.fromMemorySegment(F, s, off, LE);
    }
}
