package io.inferlab.cuda.check;

import java.util.Random;

import io.inferlab.api.InferenceBackend;

/**
 * Cross-backend logits: the same token sequence through two backends, the logits compared at
 * every position (each position's vector against the tolerance), and the argmax agreement counted.
 */
public final class LogitsConformance {
    /** Relative tolerance of logits: f32 everywhere, only the summation order differs. */
    public static final double TOLERANCE = 2e-3;

    private LogitsConformance() {
    }

    /** {@code n} token ids in [3, vocab) from a fixed seed (0..2 are the synthetic vocabulary's specials). */
    public static int[] tokens(int n, int vocab, long seed) {
        Random r = new Random(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = 3 + r.nextInt(vocab - 3);
        }
        return t;
    }

    public static CheckResult compare(String name, InferenceBackend reference, InferenceBackend actual, int[] tokens) {
        float[][] ref = reference.logits(tokens);
        float[][] got = actual.logits(tokens);
        double worst = 0;
        double allowed = 0;
        int worstPos = -1;
        int argmaxAgree = 0;
        boolean passed = true;
        for (int p = 0; p < tokens.length; p++) {
            Comparison c = Comparison.of(ref[p], got[p], ref[p].length, TOLERANCE);
            passed &= c.passed();
            if (worstPos < 0 || c.maxAbsError() > worst) {
                worst = c.maxAbsError();
                allowed = c.allowed();
                worstPos = p;
            }
            if (argmax(ref[p]) == argmax(got[p])) {
                argmaxAgree++;
            }
        }
        String detail = String.format(java.util.Locale.ROOT,
                "%s vs %s over %d positions: worst max |diff| %.3g at position %d (allowed %.3g); argmax agrees at %d/%d",
                actual.id(), reference.id(), tokens.length, worst, worstPos, allowed, argmaxAgree, tokens.length);
        return new CheckResult("logits", name, passed, worst, allowed, detail);
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
