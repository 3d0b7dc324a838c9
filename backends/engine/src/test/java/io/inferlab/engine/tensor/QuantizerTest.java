package io.inferlab.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import io.inferlab.engine.gguf.GgufFixtures;

/** Reference quantizers: exact bytes for hand-made blocks, llama.cpp's rounding, and error bounds. */
class QuantizerTest {

    private static float[] zeroToThirtyOne() {
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) {
            x[j] = j;
        }
        return x;
    }

    private static float scale(byte[] b, int blockOffset) {
        return Float.float16ToFloat((short) ((b[blockOffset] & 0xFF) | (b[blockOffset + 1] << 8)));
    }

    @Test
    void q8_0OfZeroToThirtyOne() {
        byte[] b = Quantizer.q8_0(zeroToThirtyOne());
        assertEquals(34, b.length);
        // d = 31/127 = 0.2440945 = 1.9527559 * 2^-3; as fp16: biased exponent 12 (0b01100) and
        // mantissa round(0.9527559 * 1024) = round(975.62) = 976 = 0x3D0, so 0x33D0.
        assertEquals((byte) 0xD0, b[0]);
        assertEquals((byte) 0x33, b[1]);
        for (int j = 0; j < 32; j++) {
            // q_j = round(j * 127 / 31), never a tie for 0 < j < 31 since 31 is prime.
            int expected = (j * 254 + 31) / 62;
            assertEquals(expected, b[2 + j], "q[" + j + "]");
        }
        assertEquals(4, b[2 + 1]);
        assertEquals(25, b[2 + 6]);
        assertEquals(127, b[2 + 31]);
    }

    /** llama.cpp rounds with C's roundf: halfway cases away from zero (Java's Math.round rounds them up). */
    @Test
    void q8_0RoundsHalfwayCasesAwayFromZero() {
        float[] x = new float[32];
        x[0] = 127f; // d = 1, so q = round(x) exactly
        x[1] = -2.5f;
        x[2] = 2.5f;
        x[3] = -0.5f;
        x[4] = 0.5f;
        x[5] = -1.5f;
        x[6] = -126.5f;
        x[7] = 0.49999997f;
        byte[] b = Quantizer.q8_0(x);
        assertEquals((short) 0x3C00, (short) ((b[0] & 0xFF) | (b[1] << 8)));
        assertArrayEquals(new byte[] {127, -3, 3, -1, 1, -2, -127, 0}, java.util.Arrays.copyOfRange(b, 2, 10));
    }

    @Test
    void q8_0OfZerosHasScaleZero() {
        byte[] b = Quantizer.q8_0(new float[64]);
        assertArrayEquals(new byte[68], b);
    }

    /**
     * Bound: with d = max|x|/127 and d16 = fp16(d), |x - q * d16| <= d/2 + |q| * |d - d16|
     * (rounding to the nearest step, plus the scale's fp16 rounding carried over at most 127
     * steps), i.e. below 0.57 d since |d - d16| <= 2^-11 d.
     */
    @Test
    void q8_0ErrorBound() {
        float[] x = GgufFixtures.randomFloats(42, 32 * 64, 5f);
        byte[] b = Quantizer.q8_0(x);
        MemorySegment s = MemorySegment.ofArray(b);
        for (int blk = 0; blk < 64; blk++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[blk * 32 + j]));
            }
            double d = amax / 127.0;
            double d16 = scale(b, blk * 34);
            for (int j = 0; j < 32; j++) {
                int i = blk * 32 + j;
                int q = b[blk * 34 + 2 + j];
                double deq = Formats.value(GgmlType.Q8_0, s, i);
                assertEquals(q * d16, deq, 0.0);
                double err = Math.abs(x[i] - deq);
                assertTrue(err <= d / 2 + Math.abs(q) * Math.abs(d - d16) + 1e-6 * d, "x[" + i + "] err " + err);
                assertTrue(err <= 0.57 * d, "x[" + i + "] err " + err + " vs d " + d);
            }
        }
    }

    @Test
    void q4_0OfZeroToThirtyOne() {
        byte[] b = Quantizer.q4_0(zeroToThirtyOne());
        assertEquals(18, b.length);
        // The value of largest magnitude is +31, so d = 31 / -8 = -3.875 = fp16 0xC3C0 (exact).
        assertEquals((byte) 0xC0, b[0]);
        assertEquals((byte) 0xC3, b[1]);
        assertEquals(-3.875f, scale(b, 0));
        for (int j = 0; j < 16; j++) {
            // q = min(15, floor(x / d + 8.5)) = floor(8.5 - 8x/31), never near a tie.
            int lo = (527 - 16 * j) / 62;
            int hi = (527 - 16 * (j + 16)) / 62;
            assertEquals((byte) (lo | hi << 4), b[2 + j], "byte " + j);
        }
        // Hand-checked: x = 0 -> 8, x = 2 -> 7, x = 16 -> floor(4.37) = 4, x = 31 -> 0.
        assertEquals(8, b[2] & 0xF);
        assertEquals(7, b[4] & 0xF);
        assertEquals(4, (b[2] >> 4) & 0xF);
        assertEquals(0, (b[2 + 15] >> 4) & 0xF);
        float[] deq = new float[32];
        Formats.dequantize(GgmlType.Q4_0, MemorySegment.ofArray(b), 0, deq, 0, 32);
        assertEquals(0f, deq[0], 0f); // (8 - 8) * -3.875 = -0
        assertEquals(31f, deq[31]); // (0 - 8) * -3.875
    }

    @Test
    void q4_0WithANegativeExtremeAndTheClampAtFifteen() {
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) {
            x[j] = j - 16; // -16 .. 15: the largest magnitude is -16
        }
        byte[] b = Quantizer.q4_0(x);
        assertEquals(2f, scale(b, 0)); // d = -16 / -8
        float[] deq = new float[32];
        Formats.dequantize(GgmlType.Q4_0, MemorySegment.ofArray(b), 0, deq, 0, 32);
        assertEquals(-16f, deq[0]); // q = 0
        assertEquals(-14f, deq[1]); // -15 / 2 + 8.5 = 1: halfway rounds up
        assertEquals(-14f, deq[2]); // -14 / 2 + 8.5 = 1.5 -> 1
        assertEquals(0f, deq[16]); // 0 -> 8
        assertEquals(14f, deq[31]); // 15 / 2 + 8.5 = 16, clamped to 15: +7 d = 14
        assertEquals(14f, deq[30]); // 14 / 2 + 8.5 = 15.5 -> 15
    }

    /**
     * Bound: with d = (value of largest magnitude) / -8, |x - deq| <= |d| / 2 except where
     * x / d >= 7.5 is clamped to +7 steps, error <= |d|; plus the fp16 rounding of d over at
     * most 8 steps (8 * 2^-11 |d|).
     */
    @Test
    void q4_0ErrorBound() {
        float[] x = GgufFixtures.randomFloats(7, 32 * 64, 3f);
        byte[] b = Quantizer.q4_0(x);
        MemorySegment s = MemorySegment.ofArray(b);
        int clamped = 0;
        for (int blk = 0; blk < 64; blk++) {
            float max = 0;
            for (int j = 0; j < 32; j++) {
                float v = x[blk * 32 + j];
                if (Math.abs(v) > Math.abs(max)) {
                    max = v;
                }
            }
            double d = Math.abs(max / 8.0);
            assertEquals(max / -8f, scale(b, blk * 18), d * 0x1p-11);
            for (int j = 0; j < 32; j++) {
                int i = blk * 32 + j;
                double err = Math.abs(x[i] - Formats.value(GgmlType.Q4_0, s, i));
                boolean clamp = x[i] / (max / -8.0) >= 7.5;
                clamped += clamp ? 1 : 0;
                double bound = (clamp ? d : d / 2) + 8 * d * 0x1p-11 + 1e-6 * d;
                assertTrue(err <= bound, "x[" + i + "]=" + x[i] + " err " + err + " bound " + bound);
            }
        }
        assertTrue(clamped > 0, "the data exercises the clamp");
    }

    @Test
    void plainTypesAreLittleEndian() {
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0}, Quantizer.quantize(GgmlType.F32, new float[] {1f, -2f}));
        assertArrayEquals(new byte[] {0x00, 0x3C, 0x00, (byte) 0xC0}, Quantizer.quantize(GgmlType.F16, new float[] {1f, -2f}));
        assertArrayEquals(new byte[] {(byte) 0x80, 0x3F, 0x00, (byte) 0xC0}, Quantizer.quantize(GgmlType.BF16, new float[] {1f, -2f}));
    }

    @Test
    void rejectsPartialBlocks() {
        assertThrows(IllegalArgumentException.class, () -> Quantizer.q8_0(new float[33]));
        assertThrows(IllegalArgumentException.class, () -> Quantizer.q4_0(new float[31]));
        assertThrows(IllegalArgumentException.class, () -> Quantizer.quantize(GgmlType.MXFP4, new float[48]));
    }

    /** E2M1 values of codes 0..15 (sign bit 3). */
    private static final float[] E2M1 = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f, -0f, -0.5f, -1f, -1.5f, -2f, -3f, -4f, -6f};

    private static float[] mxfp4RoundTrip(float[] x) {
        byte[] b = Quantizer.quantize(GgmlType.MXFP4, x);
        assertEquals(x.length / 32 * 17, b.length);
        float[] back = new float[x.length];
        Formats.dequantize(GgmlType.MXFP4, MemorySegment.ofArray(b), 0, back, 0, x.length);
        return back;
    }

    /** Values already on the grid of one block (scale 2^0, max 6 -> exponent floor(log2 6) - 2 = 0) come back exactly. */
    @Test
    void mxfp4OfGridValuesIsExact() {
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) {
            x[j] = E2M1[j % 16];
        }
        byte[] b = Quantizer.mxfp4(x);
        assertEquals(127, b[0] & 0xFF, "shared exponent of max|x| = 6 is 2^0");
        for (int j = 0; j < 16; j++) {
            // value j is code j, value j + 16 is also code j; -0 has code 8 but +0 (code 0) ties and wins.
            int lo = j == 8 ? 0 : j;
            assertEquals(lo | (lo << 4), b[1 + j] & 0xFF, "byte " + j);
        }
        float[] back = mxfp4RoundTrip(x);
        for (int j = 0; j < 32; j++) {
            assertEquals(Math.abs(x[j]), Math.abs(back[j]), "value " + j);
        }
    }

    /** The shared exponent is floor(log2(max|x|)) - 2 (OCP MX v1.0), biased by 127; zero blocks store 0. */
    @Test
    void mxfp4SharedExponent() {
        float[][] cases = {{1f, 125}, {6f, 127}, {7.99f, 127}, {8f, 128}, {-0.3f, 123}, {1000f, 134}, {0x1p-126f, 0},
                {0x1p-120f, 5}, {0x1p127f, 252}};
        for (float[] c : cases) {
            float[] x = new float[32];
            x[5] = c[0];
            x[20] = c[0] / 3;
            assertEquals((int) c[1], Quantizer.mxfp4(x)[0] & 0xFF, "max |x| = " + c[0]);
        }
        byte[] zero = Quantizer.mxfp4(new float[64]);
        for (byte v : zero) {
            assertEquals(0, v);
        }
    }

    /** Rounding to the nearest grid value, ties to the lower code (smaller magnitude), beyond 6X clamped. */
    @Test
    void mxfp4RoundsToNearestAndClamps() {
        float[] x = new float[32];
        x[0] = 4f;      // max: exponent 2^0
        x[1] = 2.5f;    // tie between 2 (code 4) and 3 (code 5): code 4
        x[2] = -2.5f;   // tie between -2 (code 12) and -3 (code 13): code 12
        x[3] = 0.25f;   // tie between 0 and 0.5: code 0
        x[4] = 0.26f;   // nearer 0.5: code 1
        x[5] = 5f;      // tie between 4 and 6: code 6
        x[6] = 5.01f;   // code 7 (6)
        x[7] = -0.1f;   // nearest is 0: +0 (code 0) wins the tie with -0 (code 8)
        x[16] = 1.74f;  // value 16 is the high nibble of byte 0: 1.5 (code 3)
        byte[] b = Quantizer.mxfp4(x);
        assertEquals(127, b[0] & 0xFF);
        assertEquals(6 | (3 << 4), b[1] & 0xFF);
        assertEquals(4, b[2] & 0x0F);
        assertEquals(12, b[3] & 0x0F);
        assertEquals(0, b[4] & 0x0F);
        assertEquals(1, b[5] & 0x0F);
        assertEquals(6, b[6] & 0x0F);
        assertEquals(7, b[7] & 0x0F);
        assertEquals(0, b[8] & 0x0F);
        // max |x| = 7.9 has exponent 2^(2-2) = 1, so 7.9 itself clamps to 6.
        float[] y = new float[32];
        y[9] = -7.9f;
        assertEquals(-6f, mxfp4RoundTrip(y)[9]);
    }

    /**
     * Error bounds on random blocks over many magnitudes: every value is the nearest point of its
     * block's grid {X * e2m1}, so |x - q| is at most half the widest gap (X, between 4X and 6X)
     * inside [-6X, 6X] and at most 2X beyond (max|x| < 8X clamps to 6X).
     */
    @Test
    void mxfp4QuantizeDequantizeErrorBounds() {
        float[] x = GgufFixtures.randomFloats(77, 32 * 400, 1f);
        for (int b = 0; b < 400; b++) {
            float m = (float) Math.pow(2, b % 40 - 20); // scales from 2^-20 to 2^19
            for (int j = 0; j < 32; j++) {
                x[b * 32 + j] *= m;
            }
        }
        float[] back = mxfp4RoundTrip(x);
        byte[] bytes = Quantizer.mxfp4(x);
        for (int b = 0; b < 400; b++) {
            float scale = Formats.e8m0ToFloat(bytes[b * 17]);
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[b * 32 + j]));
            }
            assertTrue(amax >= 4 * scale && amax < 8 * scale, "block " + b + ": max " + amax + " scale " + scale);
            for (int j = 0; j < 32; j++) {
                float v = x[b * 32 + j];
                float err = Math.abs(v - back[b * 32 + j]);
                assertTrue(err <= (Math.abs(v) <= 6 * scale ? scale : 2 * scale), "value " + v + " -> " + back[b * 32 + j]);
                for (float g : E2M1) {
                    assertTrue(err <= Math.abs(v - g * scale), () -> v + " has a nearer grid value");
                }
            }
        }
    }

    @Test
    void roundHalfAwayMatchesCRoundf() {
        assertEquals(3, Quantizer.roundHalfAway(2.5f));
        assertEquals(-3, Quantizer.roundHalfAway(-2.5f));
        assertEquals(0, Quantizer.roundHalfAway(-0.49999997f));
        assertEquals(-1, Quantizer.roundHalfAway(-0.5f));
        assertEquals(2, Quantizer.roundHalfAway(1.6f));
        assertEquals(-2, Quantizer.roundHalfAway(-1.6f));
    }
}
