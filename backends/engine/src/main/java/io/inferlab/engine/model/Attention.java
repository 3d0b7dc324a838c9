package io.inferlab.engine.model;

import io.inferlab.engine.kernels.Kernels;

/**
 * Scaled dot-product attention over the KV cache, on any {@link Kernels}: for each query head,
 * scores q.k * scale, softmax, the weighted sum of the values. One instance per forward pass
 * serves every layer: {@link #apply} hands all (token, KV head) pairs of a batch to
 * {@link Kernels#parallelFor}, so the heads run on every core the kernels have (one thread ran
 * them while the others waited: a tenth of a decode step, and the idle workers went to sleep and
 * woke late for the next matmul). Each pair is the group of query heads that share the KV head,
 * so that a kernel can read each key and value once for all of them. Each worker has its own
 * scores buffer, and the instance carries the current call's arguments, so a decode step
 * allocates nothing.
 */
final class Attention implements Kernels.IndexTask {
    private final Kernels k;
    private final int kvHeads;
    private final int group;
    private final int headDim;
    private final int qDim;
    private final int kvDim;
    private final float scale;
    /** Scores of one group of heads, per worker: for each, at least the context length plus a sink. */
    private final float[][] scores;

    // The current call, set by apply and cleared after it.
    private float[] q;
    private float[] keys;
    private float[] values;
    private float[] sinks;
    private float[] out;
    private int pos;
    private int window;

    /**
     * @param contextLength the most cached positions one query may see
     */
    Attention(Kernels k, int heads, int kvHeads, int headDim, int contextLength) {
        this.k = k;
        this.kvHeads = kvHeads;
        this.group = heads / kvHeads;
        this.headDim = headDim;
        this.qDim = heads * headDim;
        this.kvDim = kvHeads * headDim;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        this.scores = new float[k.parallelism()][group * (contextLength + 1)];
    }

    /**
     * Attends the queries of {@code n} tokens at positions {@code pos..pos + n - 1}
     * ({@code q[t * qDim ..]}) to the cached positions each may see, writing each head's result
     * where its query is ({@code out[t * qDim + h * headDim ..]}). Causal: token {@code t} sees
     * positions up to {@code pos + t}, and with a {@code window} (0 for none) only the last
     * {@code window} of them. {@code sinks}, when not null, holds one sink logit per head.
     */
    void apply(float[] q, float[] keys, float[] values, float[] sinks, int n, int pos, int window, float[] out) {
        this.q = q;
        this.keys = keys;
        this.values = values;
        this.sinks = sinks;
        this.out = out;
        this.pos = pos;
        this.window = window;
        try {
            k.parallelFor(n * kvHeads, this);
        } finally {
            this.q = this.keys = this.values = this.sinks = this.out = null;
        }
    }

    /** One (token, KV head) pair of the current call, {@code index = t * kvHeads + g}: its group of query heads. */
    @Override
    public void run(int worker, int index) {
        int t = index / kvHeads;
        int g = index - t * kvHeads;
        int last = pos + t;
        int first = window > 0 ? Math.max(0, last - window + 1) : 0;
        int h = g * group; // the group's first query head
        int qOff = t * qDim + h * headDim;
        k.attend(q, qOff, group, keys, values, kvDim, g * headDim, headDim, first, last, scale, sinks, h,
                scores[worker], out, qOff);
    }
}
