package io.inferlab.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import io.inferlab.engine.gguf.GgufFixtures;
import io.inferlab.engine.kernels.ScalarKernels;

/**
 * The scalar MXFP4 reference over every byte pattern under every finite scale byte, against the
 * OCP Microscaling v1.0 definition computed independently in double: value = 2^(e - 127) * E2M1,
 * E2M1 = (-1)^s * {0, 0.5, 1, 1.5, 2, 3, 4, 6}[m] (GGML reads e = 0 as 2^-127, not zero).
 */
class Mxfp4Test {
    private static final double[] MAGNITUDES = {0, 0.5, 1, 1.5, 2, 3, 4, 6};

    private static double definition(int e, int nibble) {
        double m = MAGNITUDES[nibble & 7] * Math.pow(2, e - 127);
        return (nibble & 8) != 0 ? -m : m;
    }

    /** One row per scale byte e = 0..254; its 16 blocks hold the bytes 0..255 in order. */
    private static Tensor everyByteUnderEveryScale() {
        byte[] data = new byte[255 * 16 * 17];
        for (int e = 0; e < 255; e++) {
            for (int b = 0; b < 16; b++) {
                int o = (e * 16 + b) * 17;
                data[o] = (byte) e;
                for (int j = 0; j < 16; j++) {
                    data[o + 1 + j] = (byte) (b * 16 + j);
                }
            }
        }
        return new Tensor("mxfp4", GgmlType.MXFP4, new long[] {512, 255}, MemorySegment.ofArray(data));
    }

    @Test
    void dequantizeMatchesTheDefinition() {
        Tensor t = everyByteUnderEveryScale();
        for (int e = 0; e < 255; e++) {
            for (int b = 0; b < 16; b++) {
                for (int j = 0; j < 16; j++) {
                    int q = b * 16 + j;
                    long block = (long) e * 512 + b * 32;
                    assertEquals((float) definition(e, q & 0xF), Formats.value(GgmlType.MXFP4, t.data(), block + j),
                            "scale byte " + e + ", byte " + q + ", low nibble");
                    assertEquals((float) definition(e, q >> 4), Formats.value(GgmlType.MXFP4, t.data(), block + j + 16),
                            "scale byte " + e + ", byte " + q + ", high nibble");
                }
            }
        }
    }

    /** x scaled by 2^(127 - e) (within 2^+-100) keeps every product a normal float. */
    @Test
    void scalarDotMatchesTheDefinition() {
        Tensor t = everyByteUnderEveryScale();
        float[] base = GgufFixtures.randomFloats(3, 512, 1f);
        float[] x = new float[512];
        for (int e = 0; e < 255; e++) {
            float factor = Math.scalb(1f, Math.clamp(127 - e, -100, 100));
            double exact = 0;
            double magnitude = 0;
            for (int i = 0; i < 512; i++) {
                x[i] = base[i] * factor;
                int b = i / 32;
                int j = i % 32;
                int q = b * 16 + (j & 15);
                double w = definition(e, j < 16 ? q & 0xF : q >> 4);
                exact += w * x[i];
                magnitude += Math.abs(w * x[i]);
            }
            assertEquals(exact, ScalarKernels.dotRow(t, e, x, 0), 1e-5 * magnitude, "scale byte " + e);
        }
    }
}
