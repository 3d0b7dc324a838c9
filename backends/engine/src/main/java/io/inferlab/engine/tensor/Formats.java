package io.inferlab.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Scalar decoding of GGML's number formats: the plain reference every faster kernel is checked
 * against. Reads from memory segments in little-endian order.
 */
public final class Formats {
    public static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** E2M1 (FP4) code points: sign bit 3, then {0, 0.5, 1, 1.5, 2, 3, 4, 6}. */
    private static final float[] E2M1 = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f, -0f, -0.5f, -1f, -1.5f, -2f, -3f, -4f, -6f};

    private Formats() {
    }

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Round-to-nearest-even truncation to bfloat16, NaN kept quiet. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** E8M0 scale: 2^(e - 127). */
    public static float e8m0ToFloat(int e) {
        return e == 0 ? 0x1p-127f : Math.scalb(1f, (e & 0xFF) - 127);
    }

    public static float e2m1ToFloat(int nibble) {
        return E2M1[nibble & 0xF];
    }

    /** Value {@code i} of a tensor's data in {@code type}'s layout. */
    public static float value(GgmlType type, MemorySegment data, long i) {
        long block = i / type.blockSize();
        int j = (int) (i % type.blockSize());
        long b = block * type.typeSize();
        return switch (type) {
            case F32 -> data.get(LE_FLOAT, i * 4);
            case F16 -> Float.float16ToFloat(data.get(LE_SHORT, i * 2));
            case BF16 -> bf16ToFloat(data.get(LE_SHORT, i * 2));
            case Q8_0 -> Float.float16ToFloat(data.get(LE_SHORT, b)) * data.get(ValueLayout.JAVA_BYTE, b + 2 + j);
            case Q4_0 -> {
                int q = data.get(ValueLayout.JAVA_BYTE, b + 2 + (j & 15));
                int nib = j < 16 ? q & 0xF : (q >> 4) & 0xF;
                yield Float.float16ToFloat(data.get(LE_SHORT, b)) * (nib - 8);
            }
            case MXFP4 -> {
                int q = data.get(ValueLayout.JAVA_BYTE, b + 1 + (j & 15));
                int nib = j < 16 ? q & 0xF : (q >> 4) & 0xF;
                yield e8m0ToFloat(data.get(ValueLayout.JAVA_BYTE, b)) * e2m1ToFloat(nib);
            }
        };
    }

    /** Dequantizes {@code n} values starting at value {@code first} into {@code out[off..]}. */
    public static void dequantize(GgmlType type, MemorySegment data, long first, float[] out, int off, int n) {
        for (int k = 0; k < n; k++) {
            out[off + k] = value(type, data, first + k);
        }
    }

    /** Every value of a tensor as floats (tests and small tensors such as norms only). */
    public static float[] toFloats(Tensor t) {
        float[] out = new float[Math.toIntExact(t.elementCount())];
        dequantize(t.type(), t.data(), 0, out, 0, out.length);
        return out;
    }
}
