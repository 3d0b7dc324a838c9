package io.inferlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

/**
 * What every backend's conformance tests do with logits: compare them with the scalar oracle's
 * within a tolerance relative to the position's largest logit (each test states its own and
 * why), take the argmax, and build the random token sequences they run.
 */
public final class Logits {
    private Logits() {
    }

    /**
     * Every logit of every position within {@code relativeTolerance} times the largest magnitude
     * of the expected position (plus 1e-6 for near-zero rows), and the same argmax at each.
     */
    public static void assertClose(float[][] expected, float[][] actual, double relativeTolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": positions");
        for (int pos = 0; pos < expected.length; pos++) {
            double scale = 0;
            for (float v : expected[pos]) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < expected[pos].length; i++) {
                double diff = Math.abs(expected[pos][i] - actual[pos][i]);
                if (!(diff <= relativeTolerance * scale + 1e-6)) { // a NaN fails too
                    throw new AssertionError("%s: logit %d at position %d: expected %s, got %s (tolerance %.2e)"
                            .formatted(what, i, pos, expected[pos][i], actual[pos][i], relativeTolerance * scale));
                }
            }
            assertEquals(argmax(expected[pos]), argmax(actual[pos]), what + ": argmax at position " + pos);
        }
    }

    /** BOS (1) and then {@code n - 1} seeded random ids in {@code [3, vocab)} (no BOS/EOS/unknown). */
    public static int[] sequence(int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        t[0] = 1;
        for (int i = 1; i < n; i++) {
            t[i] = 3 + r.nextInt(vocab - 3);
        }
        return t;
    }

    /** The index of the largest value, the first on ties (as greedy sampling picks). */
    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
