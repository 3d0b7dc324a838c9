package io.inferlab.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.inferlab.engine.gguf.GgufFixtures;
import io.inferlab.engine.kernels.Rope.Layout;

/** Rotary embeddings: NORMAL (pairs 2i, 2i+1) and NEOX (pairs i, i + d/2) on hand-checked examples. */
class RopeTest {
    private static final float TOL = 1e-6f;

    private static Rope rope(Layout layout, int headDim, int rotaryDim) {
        return new Rope(layout, headDim, rotaryDim, 64, 10000f, 1f, null);
    }

    private static float[] rotated(Rope r, float[] x, int pos) {
        float[] y = x.clone();
        r.apply(y, 0, 1, pos);
        return y;
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void positionZeroIsTheIdentity(Layout layout) {
        float[] x = GgufFixtures.randomFloats(1, 16, 1f);
        assertArrayEquals(x, rotated(rope(layout, 8, 8), x, 0), 0f);
    }

    /**
     * head 4, base 10000: pair 0 turns by pos * 1 rad, pair 1 by pos * 10000^(-2/4) = pos * 0.01
     * rad. NORMAL pairs (0, 1) and (2, 3); NEOX pairs (0, 2) and (1, 3).
     */
    @Test
    void normalRotatesAdjacentPairs() {
        Rope r = rope(Layout.NORMAL, 4, 4);
        assertArrayEquals(new float[] {(float) Math.cos(1), (float) Math.sin(1), (float) -Math.sin(0.01), (float) Math.cos(0.01)},
                rotated(r, new float[] {1, 0, 0, 1}, 1), TOL);
        // Only element 1 moves with element 0.
        assertArrayEquals(new float[] {0.5403023f, 0.84147098f, 0, 0}, rotated(r, new float[] {1, 0, 0, 0}, 1), TOL);
        // Position 2 turns pair 0 by 2 rad: (0, 1) -> (-sin 2, cos 2).
        assertArrayEquals(new float[] {(float) -Math.sin(2), (float) Math.cos(2), 0, 0}, rotated(r, new float[] {0, 1, 0, 0}, 2), TOL);
    }

    @Test
    void neoxRotatesHalves() {
        Rope r = rope(Layout.NEOX, 4, 4);
        assertArrayEquals(new float[] {(float) Math.cos(1), (float) -Math.sin(0.01), (float) Math.sin(1), (float) Math.cos(0.01)},
                rotated(r, new float[] {1, 0, 0, 1}, 1), TOL);
        // Element d/2 = 2 moves with element 0; element 1 stays.
        assertArrayEquals(new float[] {0.5403023f, 0, 0.84147098f, 0}, rotated(r, new float[] {1, 0, 0, 0}, 1), TOL);
        assertEquals(Layout.NEOX, r.layout());
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void rotationPreservesEachPairsNorm(Layout layout) {
        int d = 16;
        Rope r = rope(layout, d, d);
        float[] x = GgufFixtures.randomFloats(5, d, 3f);
        for (int pos : new int[] {1, 7, 63}) {
            float[] y = rotated(r, x, pos);
            for (int i = 0; i < d / 2; i++) {
                int a = layout == Layout.NORMAL ? 2 * i : i;
                int b = layout == Layout.NORMAL ? 2 * i + 1 : i + d / 2;
                assertEquals(Math.hypot(x[a], x[b]), Math.hypot(y[a], y[b]), 1e-5, "pair " + i + " at " + pos);
            }
        }
    }

    /** The point of RoPE: q(m) . k(n) depends only on m - n. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void dotProductDependsOnlyOnRelativePosition(Layout layout) {
        Rope r = rope(layout, 8, 8);
        float[] q = GgufFixtures.randomFloats(11, 8, 1f);
        float[] kv = GgufFixtures.randomFloats(12, 8, 1f);
        ScalarKernels k = new ScalarKernels();
        float d1 = k.dot(rotated(r, q, 5), 0, rotated(r, kv, 2), 0, 8);
        float d2 = k.dot(rotated(r, q, 40), 0, rotated(r, kv, 37), 0, 8);
        assertEquals(d1, d2, 1e-5);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void partialRotaryLeavesTheTailAndEveryHeadRotatesAlike(Layout layout) {
        Rope r = rope(layout, 6, 4);
        float[] x = new float[2 + 2 * 6];
        float[] head = GgufFixtures.randomFloats(3, 6, 1f);
        System.arraycopy(head, 0, x, 2, 6);
        System.arraycopy(head, 0, x, 8, 6);
        x[0] = 42f;
        r.apply(x, 2, 2, 9);
        assertEquals(42f, x[0]);
        assertEquals(head[4], x[2 + 4]);
        assertEquals(head[5], x[2 + 5]);
        assertArrayEquals(java.util.Arrays.copyOfRange(x, 2, 8), java.util.Arrays.copyOfRange(x, 8, 14), 0f);
        // The rotated part equals a full 4-wide rope of the first four values.
        assertArrayEquals(rotated(rope(layout, 4, 4), java.util.Arrays.copyOf(head, 4), 9),
                java.util.Arrays.copyOfRange(x, 2, 6), TOL);
    }

    @Test
    void linearScaleDividesThePosition() {
        // theta = pos / scale * base^(-2i/d): scale 4 at position 8 turns like scale 1 at position 2.
        Rope scaled = new Rope(Layout.NORMAL, 4, 4, 16, 10000f, 4f, null);
        Rope plain = rope(Layout.NORMAL, 4, 4);
        float[] x = {1, 2, 3, 4};
        assertArrayEquals(rotated(plain, x, 2), rotated(scaled, x, 8), TOL);
        assertArrayEquals(new float[] {(float) Math.cos(0.25), (float) Math.sin(0.25), 0, 0},
                rotated(scaled, new float[] {1, 0, 0, 0}, 1), TOL);
    }

    @Test
    void freqFactorsDivideEachPairsFrequency() {
        // Factor 4 on pair 1 only: at position 4 pair 1 turns by 4 * 0.01 / 4 = 0.01 rad, pair 0 by 4 rad.
        Rope r = new Rope(Layout.NORMAL, 4, 4, 8, 10000f, 1f, new float[] {1f, 4f});
        float[] y = rotated(r, new float[] {1, 0, 1, 0}, 4);
        assertArrayEquals(new float[] {(float) Math.cos(4), (float) Math.sin(4), (float) Math.cos(0.01), (float) Math.sin(0.01)}, y, TOL);
        // Factors of 1 change nothing.
        Rope ones = new Rope(Layout.NEOX, 4, 4, 8, 10000f, 1f, new float[] {1f, 1f});
        float[] x = {0.3f, -1f, 2f, 0.5f};
        assertArrayEquals(rotated(rope(Layout.NEOX, 4, 4), x, 5), rotated(ones, x, 5), 0f);
    }

    @Test
    void baseSetsTheFrequencies() {
        // base 100, d 4: pair 1 turns by pos * 100^(-1/2) = pos * 0.1.
        Rope r = new Rope(Layout.NORMAL, 4, 4, 8, 100f, 1f, null);
        assertArrayEquals(new float[] {0, 0, (float) Math.cos(0.3), (float) Math.sin(0.3)},
                rotated(r, new float[] {0, 0, 1, 0}, 3), TOL);
    }

    /**
     * gpt-oss's YaRN (tiny-gpt-oss: 64 rotary dims, base 150000, original context 4096, factor 32):
     * d(beta) = 64 ln(4096 / (2 pi beta)) / (2 ln 150000) is 8.09 for beta 32 and 17.39 for beta 1,
     * so the ramp runs over pairs [floor 8.09, ceil 17.39] = [8, 18].
     */
    @Test
    void yarnCorrectionRangeUsesFloorAndCeil() {
        Rope.Yarn yarn = new Rope.Yarn(4096, 32f, 1f);
        assertArrayEquals(new float[] {8f, 18f}, yarn.correctionRange(64, 150000f), 0f);
        // Clamped into [0, rotaryDim - 1]: a short original context puts d(32) = -0.50 below 0 (d(1) = 1.01),
        // a long one with a small base puts d(1) = 10.4 above 7 (d(32) = 7.43).
        assertArrayEquals(new float[] {0f, 2f}, new Rope.Yarn(64, 32f, 1f).correctionRange(8, 10000f), 0f);
        assertArrayEquals(new float[] {7f, 7f}, new Rope.Yarn(1 << 20, 32f, 1f).correctionRange(8, 100f), 0f);
        assertEquals(1 + 0.1 * Math.log(32), Rope.Yarn.magnitudeScale(32f), 1e-12);
    }

    /**
     * Pairs below the range keep the original angle, pairs above it are interpolated (angle /
     * factor), pairs inside blend linearly; cos and sin carry the magnitude 1 + 0.1 ln(factor).
     */
    @Test
    void yarnBlendsOriginalAndInterpolatedAnglesAndScalesTheMagnitude() {
        int d = 64;
        float base = 150000f;
        float factor = 32f;
        Rope r = new Rope(Layout.NEOX, d, d, 64, base, factor, null, new Rope.Yarn(4096, 32f, 1f));
        double m = 1 + 0.1 * Math.log(factor);
        int pos = 37;
        for (int i : new int[] {0, 5, 8, 10, 13, 17, 18, 31}) {
            double theta = pos * Math.pow(base, -2.0 * i / d);
            double keep = i <= 8 ? 1 : i >= 18 ? 0 : 1 - (i - 8) / 10.0;
            double angle = theta / factor * (1 - keep) + theta * keep;
            float[] x = new float[d];
            x[i] = 1f; // NEOX: pair i is (i, i + 32)
            float[] y = rotated(r, x, pos);
            assertEquals(Math.cos(angle) * m, y[i], 1e-6, "cos of pair " + i);
            assertEquals(Math.sin(angle) * m, y[i + d / 2], 1e-6, "sin of pair " + i);
        }
        // At position 0 YaRN is a pure scaling by the magnitude.
        float[] x = GgufFixtures.randomFloats(21, d, 1f);
        float[] y = rotated(r, x, 0);
        for (int i = 0; i < d; i++) {
            assertEquals(x[i] * m, y[i], 1e-6);
        }
    }

    @Test
    void yarnValidation() {
        assertThrows(IllegalArgumentException.class, () -> new Rope.Yarn(0, 32f, 1f));
        assertThrows(IllegalArgumentException.class, () -> new Rope.Yarn(4096, 0f, 1f));
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> new Rope(Layout.NORMAL, 8, 7, 4, 1e4f, 1f, null));
        assertThrows(IllegalArgumentException.class, () -> new Rope(Layout.NORMAL, 8, 10, 4, 1e4f, 1f, null));
        assertThrows(IllegalArgumentException.class, () -> new Rope(Layout.NORMAL, 8, 0, 4, 1e4f, 1f, null));
        assertThrows(IllegalArgumentException.class, () -> new Rope(Layout.NORMAL, 8, 8, 4, 1e4f, 1f, new float[3]));
        assertEquals(64, rope(Layout.NORMAL, 8, 8).maxPositions());
        assertThrows(RuntimeException.class, () -> rope(Layout.NORMAL, 4, 4).apply(new float[4], 0, 1, 64), "past maxPositions");
    }
}
