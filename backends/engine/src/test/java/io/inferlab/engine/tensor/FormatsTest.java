package io.inferlab.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

/** Scalar decoding of every GGML format against hand-computed values. */
class FormatsTest {

    private static MemorySegment seg(byte[] b) {
        return MemorySegment.ofArray(b);
    }

    private static short bf16(float f) {
        return Formats.floatToBf16(f);
    }

    @Test
    void bf16ToFloatIsTheUpperHalfOfAFloat() {
        assertEquals(1f, Formats.bf16ToFloat((short) 0x3F80));
        assertEquals(-2f, Formats.bf16ToFloat((short) 0xC000));
        assertEquals(3.140625f, Formats.bf16ToFloat((short) 0x4049));
        assertEquals(Float.POSITIVE_INFINITY, Formats.bf16ToFloat((short) 0x7F80));
        assertEquals(0x1p-133f, Formats.bf16ToFloat((short) 0x0001)); // smallest subnormal
        assertEquals(-0f, Formats.bf16ToFloat((short) 0x8000));
        assertTrue(Float.isNaN(Formats.bf16ToFloat((short) 0x7FC0)));
    }

    @Test
    void floatToBf16RoundsToNearestEven() {
        assertEquals((short) 0x3F80, bf16(1f));
        assertEquals((short) 0x4049, bf16((float) Math.PI)); // 0x40490FDB: low half < 0x8000, rounds down
        // 0x3F808000 is exactly halfway between 0x3F80 and 0x3F81: ties go to the even 0x3F80.
        assertEquals((short) 0x3F80, bf16(Float.intBitsToFloat(0x3F808000)));
        // 0x3F818000 is halfway between 0x3F81 and 0x3F82: ties go to the even 0x3F82.
        assertEquals((short) 0x3F82, bf16(Float.intBitsToFloat(0x3F818000)));
        assertEquals((short) 0x3F81, bf16(Float.intBitsToFloat(0x3F808001))); // just above halfway
        assertEquals((short) 0x3F80, bf16(Float.intBitsToFloat(0x3F807FFF))); // just below halfway
        assertEquals((short) 0xBF82, bf16(Float.intBitsToFloat(0xBF818000))); // negative ties to even too
        assertEquals((short) 0x7F80, bf16(Float.MAX_VALUE)); // rounds up past the largest bf16: infinity
        assertEquals((short) 0x7F80, bf16(Float.POSITIVE_INFINITY));
        assertEquals((short) 0xFF80, bf16(Float.NEGATIVE_INFINITY));
        assertEquals((short) 0x8000, bf16(-0f));
        // NaN stays NaN (quiet), also a signalling NaN whose payload is all in the low half.
        assertTrue(Float.isNaN(Formats.bf16ToFloat(bf16(Float.NaN))));
        assertTrue(Float.isNaN(Formats.bf16ToFloat(bf16(Float.intBitsToFloat(0x7F800001)))));
        assertTrue(Float.isNaN(Formats.bf16ToFloat(bf16(Float.intBitsToFloat(0xFF800001)))));
    }

    @Test
    void bf16RoundTripErrorIsAtMostHalfAnUlp() {
        for (float x : io.inferlab.engine.gguf.GgufFixtures.randomFloats(3, 1000, 1000f)) {
            float back = Formats.bf16ToFloat(bf16(x));
            // bf16 keeps 8 significant bits: its ulp in x's binade is 2^(e - 7), half of it 2^(e - 8).
            assertTrue(Math.abs(back - x) <= Math.scalb(1f, Math.getExponent(x) - 8), x + " -> " + back);
            assertEquals(0, Float.floatToRawIntBits(back) & 0xFFFF);
        }
    }

    @Test
    void f16ValuesDecodeAndEncodeWithRounding() {
        // Encoded with the quantizer (Float.floatToFloat16, round to nearest even) and decoded by value().
        float[] x = {1f, -2f, 65504f, 65520f, 1f + 0x1p-11f, 1f + 3 * 0x1p-11f, 0x1p-24f, 0.1f, -0f};
        short[] expected = {0x3C00, (short) 0xC000, 0x7BFF, 0x7C00, 0x3C00, 0x3C02, 0x0001, 0x2E66, (short) 0x8000};
        byte[] b = Quantizer.quantize(GgmlType.F16, x);
        for (int i = 0; i < x.length; i++) {
            short h = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] << 8));
            assertEquals(expected[i], h, "f16 of " + x[i]);
            assertEquals(Float.float16ToFloat(expected[i]), Formats.value(GgmlType.F16, seg(b), i));
        }
        assertEquals(Float.POSITIVE_INFINITY, Formats.value(GgmlType.F16, seg(b), 3)); // 65520 rounds to infinity
        assertEquals(0.0999755859375f, Formats.value(GgmlType.F16, seg(b), 7));
    }

    @Test
    void e8m0ScalesArePowersOfTwo() {
        assertEquals(1f, Formats.e8m0ToFloat(127));
        assertEquals(2f, Formats.e8m0ToFloat(128));
        assertEquals(0.5f, Formats.e8m0ToFloat(126));
        assertEquals(0x1p-126f, Formats.e8m0ToFloat(1));
        assertEquals(0x1p-127f, Formats.e8m0ToFloat(0)); // as ggml_e8m0_to_fp32: a subnormal, not zero
        assertEquals(0x1p127f, Formats.e8m0ToFloat(254));
        assertEquals(0x1p127f, Formats.e8m0ToFloat((byte) 0xFE)); // a signed byte from memory reads the same
        assertEquals(2f, Formats.e8m0ToFloat((byte) 0x80));
    }

    @Test
    void e2m1CodePoints() {
        // OCP MX spec: sign, 2 exponent bits, 1 mantissa bit.
        float[] expected = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f, -0f, -0.5f, -1f, -1.5f, -2f, -3f, -4f, -6f};
        for (int code = 0; code < 16; code++) {
            assertEquals(expected[code], Formats.e2m1ToFloat(code), "code " + code);
            assertEquals(expected[code], Formats.e2m1ToFloat(code | 0xF0), "only the low nibble counts");
        }
        assertEquals(-6f, Formats.e2m1ToFloat((byte) 0xFF));
    }

    @Test
    void q8_0BlocksDecodeAsScaleTimesInt8() {
        byte[] b = new byte[2 * 34];
        b[0] = 0x00;
        b[1] = 0x38; // fp16 0x3800 = 0.5
        for (int j = 0; j < 32; j++) {
            b[2 + j] = (byte) (j * 8 - 128); // -128, -120, ..., 120
        }
        b[34] = 0x00;
        b[35] = 0x40; // fp16 0x4000 = 2
        b[36 + 31] = 127;
        MemorySegment s = seg(b);
        assertEquals(-64f, Formats.value(GgmlType.Q8_0, s, 0));
        assertEquals(-60f, Formats.value(GgmlType.Q8_0, s, 1));
        assertEquals(60f, Formats.value(GgmlType.Q8_0, s, 31));
        assertEquals(0f, Formats.value(GgmlType.Q8_0, s, 32));
        assertEquals(254f, Formats.value(GgmlType.Q8_0, s, 63));
    }

    @Test
    void q4_0BlocksDecodeLowNibblesThenHighNibbles() {
        byte[] b = new byte[18];
        b[0] = 0x00;
        b[1] = 0x3C; // d = 1.0
        for (int j = 0; j < 16; j++) {
            b[2 + j] = (byte) (j | (15 - j) << 4);
        }
        float[] out = new float[32];
        Formats.dequantize(GgmlType.Q4_0, seg(b), 0, out, 0, 32);
        for (int j = 0; j < 16; j++) {
            assertEquals(j - 8, out[j], "value " + j + " is the low nibble of byte " + j + ", minus 8");
            assertEquals(7 - j, out[j + 16], "value " + (j + 16) + " is the high nibble of byte " + j + ", minus 8");
        }
    }

    @Test
    void mxfp4BlocksDecodeAsE8m0TimesE2m1() {
        byte[] b = new byte[2 * 17];
        b[0] = (byte) 128; // scale 2
        for (int j = 0; j < 16; j++) {
            b[1 + j] = (byte) (j | (15 - j) << 4);
        }
        b[17] = (byte) 125; // scale 1/4
        b[18] = 0x7F; // value 32 = code 0xF (-6), value 48 = code 0x7 (6)
        float[] e2m1 = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f, -0f, -0.5f, -1f, -1.5f, -2f, -3f, -4f, -6f};
        float[] out = new float[64];
        Formats.dequantize(GgmlType.MXFP4, seg(b), 0, out, 0, 64);
        for (int j = 0; j < 16; j++) {
            assertEquals(2 * e2m1[j], out[j], "value " + j);
            assertEquals(2 * e2m1[15 - j], out[j + 16], "value " + (j + 16));
        }
        assertEquals(-1.5f, out[32]);
        assertEquals(1.5f, out[48]);
        assertEquals(0f, out[33]);
        // Hand-written: the first row of the first block.
        assertArrayEquals(new float[] {0f, 1f, 2f, 3f, 4f, 6f, 8f, 12f, -0f, -1f, -2f, -3f, -4f, -6f, -8f, -12f},
                java.util.Arrays.copyOf(out, 16));
    }

    @Test
    void plainFormatsAndOffsets() {
        float[] x = {1.5f, -2.25f, 3f, 0f, 7e-3f};
        MemorySegment f32 = seg(Quantizer.quantize(GgmlType.F32, x));
        MemorySegment bf = seg(Quantizer.quantize(GgmlType.BF16, x));
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], Formats.value(GgmlType.F32, f32, i));
            assertEquals(Formats.bf16ToFloat(bf16(x[i])), Formats.value(GgmlType.BF16, bf, i));
        }
        float[] out = {9f, 9f, 9f, 9f};
        Formats.dequantize(GgmlType.F32, f32, 2, out, 1, 2);
        assertArrayEquals(new float[] {9f, 3f, 0f, 9f}, out);
        Tensor t = new Tensor("t", GgmlType.F32, new long[] {5}, f32);
        assertArrayEquals(x, Formats.toFloats(t));
    }
}
