package io.inferlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.tensor.Tensor;

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
        Attention.head(k, q, 0, keys, values, 2, 0, 2, 0, 1, 1f, Attention.NO_SINK, new float[3], out, 0);
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
        Attention.head(k, q, 0, keys, values, 2, 0, 2, 0, 1, 1f, sink, new float[3], out, 0);
        double z = Math.exp(1) + 1 + Math.exp(sink);
        assertArrayEquals(new float[] {(float) (10 * Math.exp(1) / z), (float) (10 / z)}, out, 1e-5f);
        // A very negative sink is no sink at all.
        float[] plain = new float[2];
        Attention.head(k, q, 0, keys, values, 2, 0, 2, 0, 1, 1f, -1e4f, new float[3], plain, 0);
        float[] none = new float[2];
        Attention.head(k, q, 0, keys, values, 2, 0, 2, 0, 1, 1f, Attention.NO_SINK, new float[3], none, 0);
        assertArrayEquals(none, plain, 0f);
    }

    /** A window: positions before {@code first} do not count, whatever their scores. */
    @Test
    void onlyPositionsFromFirstToLastAreAttended() {
        float[] q = {1, 0};
        float[] keys = {100, 0, 1, 0};
        float[] values = {-50, -50, 3, 4};
        float[] out = new float[2];
        Attention.head(k, q, 0, keys, values, 2, 0, 2, 1, 1, 1f, Attention.NO_SINK, new float[2], out, 0);
        assertArrayEquals(new float[] {3, 4}, out, 0f);
        assertEquals(2, out.length);
    }

    /**
     * {@link Attention#apply} gives every (token, head) pair what {@link Attention#head} alone gives
     * it (causal range, window, the query's KV head, its sink), whichever worker runs it and in
     * whatever order: here the kernels run the pairs backwards on three pretend workers.
     */
    @Test
    void applyGivesEachHeadWhatHeadAloneGives() {
        int heads = 4, kvHeads = 2, headDim = 4, n = 3, pos = 2, window = 3, context = 8;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        float[] q = random(rnd, n * heads * headDim);
        float[] keys = random(rnd, context * kvHeads * headDim);
        float[] values = random(rnd, context * kvHeads * headDim);
        float[] sinks = random(rnd, heads);
        Kernels backwards = new BackwardsKernels(3);
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
                        Attention.head(k, q, off, keys, values, kvHeads * headDim, h / 2 * headDim, headDim, first, last,
                                0.5f, s == null ? Attention.NO_SINK : s[h], new float[context + 1], expected, 0);
                        assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, off, off + headDim), 0f,
                                "token " + t + " head " + h + " window " + w + " sinks " + (s != null));
                    }
                }
            }
        }
    }

    private static float[] random(java.util.SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble(-1, 1);
        }
        return a;
    }

    /** The scalar ops, with parallelFor running indices from last to first on workers i % workers. */
    private static final class BackwardsKernels implements Kernels {
        private final ScalarKernels s = new ScalarKernels();
        private final int workers;

        BackwardsKernels(int workers) {
            this.workers = workers;
        }

        @Override
        public int parallelism() {
            return workers;
        }

        @Override
        public void parallelFor(int n, IndexTask task) {
            for (int i = n - 1; i >= 0; i--) {
                task.run(i % workers, i);
            }
        }

        @Override
        public String description() {
            return "backwards";
        }

        @Override
        public void matmul(Tensor w, float[] x, float[] out, int batch) {
            s.matmul(w, x, out, batch);
        }

        @Override
        public void getRow(Tensor w, int row, float[] out, int off) {
            s.getRow(w, row, out, off);
        }

        @Override
        public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
            return s.dot(a, aOff, b, bOff, n);
        }

        @Override
        public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
            s.axpy(alpha, x, xOff, y, yOff, n);
        }

        @Override
        public void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps) {
            s.rmsnorm(out, outOff, x, xOff, weight, n, eps);
        }

        @Override
        public void swiglu(float[] gate, float[] up, int n) {
            s.swiglu(gate, up, n);
        }

        @Override
        public void close() {
        }
    }
}
