package io.inferlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.inferlab.engine.gguf.GgufFixtures;
import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.kernels.ScalarKernels;

/** One attention head over cached positions, with and without a sink, on hand-checked numbers; all heads of a batch through {@link Attention#apply}. */
class AttentionTest {
    private final ScalarKernels k = new ScalarKernels();

    /** q = (1, 0); keys (1, 0) and (0, 1) score 1 and 0; values (10, 0) and (0, 10); scale 1. */
    @Test
    void softmaxWeightedValues() {
        float[] q = {1, 0};
        float[] keys = {1, 0, 0, 1};
        float[] values = {10, 0, 0, 10};
        float[] out = new float[2];
        k.attend(q, 0, 1, keys, values, 2, 0, 2, 0, 1, 1f, null, 0, new float[3], out, 0);
        double w0 = Math.exp(1) / (Math.exp(1) + 1);
        assertArrayEquals(new float[] {(float) (10 * w0), (float) (10 * (1 - w0))}, out, 1e-5f);
    }

    /** A sink logit s adds e^s to the denominator only: the weights sum to 1 - e^s / (e^1 + e^0 + e^s). */
    @Test
    void sinkTakesMassAndAddsNoValue() {
        float[] q = {1, 0};
        float[] keys = {1, 0, 0, 1};
        float[] values = {10, 0, 0, 10};
        float[] out = new float[2];
        float sink = 0.5f;
        k.attend(q, 0, 1, keys, values, 2, 0, 2, 0, 1, 1f, new float[] {sink}, 0, new float[3], out, 0);
        double z = Math.exp(1) + 1 + Math.exp(sink);
        assertArrayEquals(new float[] {(float) (10 * Math.exp(1) / z), (float) (10 / z)}, out, 1e-5f);
        // A very negative sink is no sink at all.
        float[] plain = new float[2];
        k.attend(q, 0, 1, keys, values, 2, 0, 2, 0, 1, 1f, new float[] {-1e4f}, 0, new float[3], plain, 0);
        float[] none = new float[2];
        k.attend(q, 0, 1, keys, values, 2, 0, 2, 0, 1, 1f, null, 0, new float[3], none, 0);
        assertArrayEquals(none, plain, 0f);
    }

    /** A window: positions before {@code first} do not count, whatever their scores. */
    @Test
    void onlyPositionsFromFirstToLastAreAttended() {
        float[] q = {1, 0};
        float[] keys = {100, 0, 1, 0};
        float[] values = {-50, -50, 3, 4};
        float[] out = new float[2];
        k.attend(q, 0, 1, keys, values, 2, 0, 2, 1, 1, 1f, null, 0, new float[2], out, 0);
        assertArrayEquals(new float[] {3, 4}, out, 0f);
        assertEquals(2, out.length);
    }

    /**
     * {@link Attention#apply} gives every (token, head) pair what {@link Kernels#attend} of that
     * head alone gives it (causal range, window, the query's KV head, its sink), whichever worker
     * runs its group and in whatever order: here the kernels run the (token, KV head) pairs
     * backwards on three pretend workers ({@link RecordingKernels}).
     */
    @Test
    void applyGivesEachHeadWhatHeadAloneGives() {
        int heads = 4, kvHeads = 2, headDim = 4, n = 3, pos = 2, window = 3, context = 8;
        float[] q = GgufFixtures.randomFloats(7, n * heads * headDim, 1f);
        float[] keys = GgufFixtures.randomFloats(8, context * kvHeads * headDim, 1f);
        float[] values = GgufFixtures.randomFloats(9, context * kvHeads * headDim, 1f);
        float[] sinks = GgufFixtures.randomFloats(10, heads, 1f);
        Kernels backwards = new RecordingKernels(3);
        for (float[] s : new float[][] {null, sinks}) {
            for (int w : new int[] {0, window}) {
                float[] out = new float[n * heads * headDim];
                new Attention(backwards, heads, kvHeads, headDim, context).apply(q, keys, values, s, n, pos, w, out);
                for (int t = 0; t < n; t++) {
                    for (int h = 0; h < heads; h++) {
                        int last = pos + t;
                        int first = w > 0 ? Math.max(0, last - w + 1) : 0;
                        int off = (t * heads + h) * headDim;
                        float[] expected = new float[headDim];
                        k.attend(q, off, 1, keys, values, kvHeads * headDim, h / 2 * headDim, headDim, first, last,
                                0.5f, s, h, new float[context + 1], expected, 0);
                        assertArrayEquals(expected, Arrays.copyOfRange(out, off, off + headDim), 0f,
                                "token " + t + " head " + h + " window " + w + " sinks " + (s != null));
                    }
                }
            }
        }
    }
}
