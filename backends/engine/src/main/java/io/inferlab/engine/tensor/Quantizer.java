package io.inferlab.engine.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reference quantizers with llama.cpp's rounding (ggml-quants.c, quantize_row_*_ref), so files we
 * write quantize like llama.cpp's own tools. Inputs must be a whole number of 32-value blocks.
 */
public final class Quantizer {
    private Quantizer() {
    }

    /** Encodes values in {@code type}'s layout (F32, F16, BF16, Q8_0, Q4_0, MXFP4). */
    public static byte[] quantize(GgmlType type, float[] x) {
        return switch (type) {
            case F32 -> {
                ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(x);
                yield b.array();
            }
            case F16 -> halves(x, false);
            case BF16 -> halves(x, true);
            case Q8_0 -> q8_0(x);
            case Q4_0 -> q4_0(x);
            case MXFP4 -> mxfp4(x);
        };
    }

    private static byte[] halves(float[] x, boolean bf16) {
        byte[] out = new byte[x.length * 2];
        for (int i = 0; i < x.length; i++) {
            short h = bf16 ? Formats.floatToBf16(x[i]) : Float.floatToFloat16(x[i]);
            out[2 * i] = (byte) h;
            out[2 * i + 1] = (byte) (h >> 8);
        }
        return out;
    }

    /** block_q8_0: d = max|x| / 127 (as fp16), q = roundf(x / d) (halfway cases away from zero, as C). */
    public static byte[] q8_0(float[] x) {
        int blocks = blocks(x);
        byte[] out = new byte[blocks * GgmlType.Q8_0.typeSize()];
        for (int b = 0; b < blocks; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[b * 32 + j]));
            }
            float d = amax / 127f;
            float id = d != 0 ? 1f / d : 0f;
            int o = b * 34;
            short dh = Float.floatToFloat16(d);
            out[o] = (byte) dh;
            out[o + 1] = (byte) (dh >> 8);
            for (int j = 0; j < 32; j++) {
                out[o + 2 + j] = (byte) roundHalfAway(x[b * 32 + j] * id);
            }
        }
        return out;
    }

    /** block_q4_0: d = (value of largest magnitude) / -8, q = min(15, (int)(x / d + 8.5)). */
    public static byte[] q4_0(float[] x) {
        int blocks = blocks(x);
        byte[] out = new byte[blocks * GgmlType.Q4_0.typeSize()];
        for (int b = 0; b < blocks; b++) {
            float amax = 0;
            float max = 0;
            for (int j = 0; j < 32; j++) {
                float v = x[b * 32 + j];
                if (Math.abs(v) > amax) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float id = d != 0 ? 1f / d : 0f;
            int o = b * 18;
            short dh = Float.floatToFloat16(d);
            out[o] = (byte) dh;
            out[o + 1] = (byte) (dh >> 8);
            for (int j = 0; j < 16; j++) {
                int lo = Math.min(15, (int) (x[b * 32 + j] * id + 8.5f));
                int hi = Math.min(15, (int) (x[b * 32 + j + 16] * id + 8.5f));
                out[o + 2 + j] = (byte) (lo | (hi << 4));
            }
        }
        return out;
    }

    /**
     * block_mxfp4 as the OCP Microscaling Formats (MX) v1.0 spec defines the conversion, and as
     * llama.cpp's reference quantizer rounds (quantize_row_mxfp4_ref):
     * <ul>
     *   <li>shared exponent: X = 2^(floor(log2(max|x|)) - 2), where 2 is E2M1's largest exponent
     *       (its largest value is 6 = 1.5 * 2^2), stored as the E8M0 byte floor(log2(max|x|)) - 2 + 127;
     *       an all-zero block stores 0. The byte is kept in [0, 254] (255 is E8M0's NaN).</li>
     *   <li>elements: the E2M1 code whose value times X is nearest to x (values beyond 6X clamp to
     *       +-6X); on a tie the lower code wins, i.e. the smaller magnitude, and +0 over -0.</li>
     * </ul>
     * floor(log2) is taken exactly from the float's exponent field; llama.cpp computes
     * {@code floorf(log2f(amax))}, which agrees except within an ulp below a power of two.
     */
    public static byte[] mxfp4(float[] x) {
        int blocks = blocks(x);
        byte[] out = new byte[blocks * GgmlType.MXFP4.typeSize()];
        for (int b = 0; b < blocks; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[b * 32 + j]));
            }
            int e = amax > 0 ? Math.clamp(Math.getExponent(amax) - 2 + 127, 0, 254) : 0;
            float scale = Formats.e8m0ToFloat(e);
            int o = b * GgmlType.MXFP4.typeSize();
            out[o] = (byte) e;
            for (int j = 0; j < 16; j++) {
                int lo = nearestE2m1(x[b * 32 + j], scale);
                int hi = nearestE2m1(x[b * 32 + j + 16], scale);
                out[o + 1 + j] = (byte) (lo | (hi << 4));
            }
        }
        return out;
    }

    /** The E2M1 code (0..15) nearest to {@code v / scale}, lowest code on ties. */
    static int nearestE2m1(float v, float scale) {
        int best = 0;
        float bestErr = Math.abs(Formats.e2m1ToFloat(0) * scale - v);
        for (int code = 1; code < 16; code++) {
            float err = Math.abs(Formats.e2m1ToFloat(code) * scale - v);
            if (err < bestErr) {
                best = code;
                bestErr = err;
            }
        }
        return best;
    }

    /** C's {@code roundf}: nearest integer, halfway cases away from zero ({@link Math#round} rounds them up). */
    static int roundHalfAway(float v) {
        int r = Math.round(Math.abs(v));
        return v < 0 ? -r : r;
    }

    private static int blocks(float[] x) {
        if (x.length % 32 != 0) {
            throw new IllegalArgumentException(x.length + " values is not a whole number of 32-value blocks");
        }
        return x.length / 32;
    }
}
