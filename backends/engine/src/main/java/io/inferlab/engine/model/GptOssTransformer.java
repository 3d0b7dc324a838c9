package io.inferlab.engine.model;

import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.kernels.Rope;

/**
 * The gpt-oss forward pass over a KV cache, on any {@link Kernels}, with llama.cpp's semantics
 * for the architecture (llm_build_openai_moe_iswa):
 * <pre>
 *   h = x + Wo . attention(rope(Wq n + bq), rope(Wk n + bk), Wv n + bv) + bo,  n = rmsnorm(x) * attn_norm
 *   x' = h + moe(rmsnorm(h) * post_attention_norm)
 * </pre>
 * Attention has a learned sink logit per head ({@link Attention#head}), uses YaRN RoPE in the NEOX
 * layout, and on the sliding-window layers sees only the last {@code slidingWindow} positions
 * (the current one included: a key at p0 is masked from the query at p1 when p1 - p0 >= window,
 * llama.cpp's LLAMA_SWA_TYPE_STANDARD). The feed-forward block is a {@link MixtureOfExperts}.
 * Buffers are allocated once, so a decode step allocates nothing.
 */
public final class GptOssTransformer implements ForwardPass {
    private final GptOssConfig c;
    private final GptOssWeights w;
    private final Kernels k;
    private final Rope rope;
    private final int contextLength;
    private final int maxBatch;
    private final KvCache cache;
    private final MixtureOfExperts moe;

    private final float[] x;
    private final float[] xb;
    private final float[] q;
    private final float[] kNew;
    private final float[] vNew;
    private final float[] att;
    private final float[] ffnOut;
    private final Attention attention;
    private final float[] logits;

    public GptOssTransformer(GptOssModel model, Kernels kernels, int contextLength, int maxBatch) {
        if (contextLength < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("context " + contextLength + " and batch " + maxBatch + " must be >= 1");
        }
        this.c = model.config();
        this.w = model.weights();
        this.k = kernels;
        this.contextLength = contextLength;
        this.maxBatch = maxBatch;
        this.cache = new KvCache(c.layers(), contextLength, c.kvDim());
        this.rope = new Rope(Rope.Layout.NEOX, c.headDim(), c.ropeDim(), contextLength, c.ropeBase(), c.ropeScale(),
                null, c.yarn());
        this.moe = new MixtureOfExperts(c, kernels, maxBatch);
        this.x = new float[maxBatch * c.dim()];
        this.xb = new float[maxBatch * c.dim()];
        this.q = new float[maxBatch * c.qDim()];
        this.kNew = new float[maxBatch * c.kvDim()];
        this.vNew = new float[maxBatch * c.kvDim()];
        this.att = new float[maxBatch * c.qDim()];
        this.ffnOut = new float[maxBatch * c.dim()];
        this.attention = new Attention(kernels, c.heads(), c.kvHeads(), c.headDim(), contextLength);
        this.logits = new float[c.vocabSize()];
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public int vocabSize() {
        return c.vocabSize();
    }

    public GptOssConfig config() {
        return c;
    }

    @Override
    public float[] forward(int[] tokens, int from, int count, int pos) {
        forwardHidden(tokens, from, count, pos);
        return logitsOf(count - 1);
    }

    @Override
    public void forwardAll(int[] tokens, int from, int count, int pos, float[][] out, int outFrom) {
        forwardHidden(tokens, from, count, pos);
        for (int t = 0; t < count; t++) {
            System.arraycopy(logitsOf(t), 0, out[outFrom + t], 0, c.vocabSize());
        }
    }

    private float[] logitsOf(int t) {
        k.rmsnorm(xb, 0, x, t * c.dim(), w.outputNorm(), c.dim(), c.rmsEps());
        k.matvec(w.output(), xb, logits);
        return logits;
    }

    private void forwardHidden(int[] tokens, int from, int n, int pos) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " tokens (1.." + maxBatch + " allowed)");
        }
        if (pos < 0 || pos + n > contextLength) {
            throw new IllegalArgumentException("positions " + pos + ".." + (pos + n - 1) + " exceed the context of "
                    + contextLength);
        }
        int dim = c.dim();
        for (int t = 0; t < n; t++) {
            int token = tokens[from + t];
            if (token < 0 || token >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + token + " is outside the vocabulary (0.."
                        + (c.vocabSize() - 1) + ")");
            }
            k.getRow(w.tokenEmbedding(), token, x, t * dim);
        }
        for (int l = 0; l < c.layers(); l++) {
            GptOssWeights.Layer layer = w.layers().get(l);
            attentionBlock(l, layer, n, pos);
            k.axpy(1f, xb, 0, x, 0, n * dim);
            for (int t = 0; t < n; t++) {
                k.rmsnorm(xb, t * dim, x, t * dim, layer.postAttnNorm(), dim, c.rmsEps());
            }
            moe.apply(layer, xb, ffnOut, n);
            k.axpy(1f, ffnOut, 0, x, 0, n * dim);
        }
    }

    /** Pre-norm attention with biases and sinks; leaves the block's output (before the residual add) in {@code xb}. */
    private void attentionBlock(int l, GptOssWeights.Layer layer, int n, int pos) {
        int dim = c.dim();
        int kvDim = c.kvDim();
        int qDim = c.qDim();
        for (int t = 0; t < n; t++) {
            k.rmsnorm(xb, t * dim, x, t * dim, layer.attnNorm(), dim, c.rmsEps());
        }
        k.matmul(layer.wq(), xb, q, n);
        k.matmul(layer.wk(), xb, kNew, n);
        k.matmul(layer.wv(), xb, vNew, n);
        for (int t = 0; t < n; t++) {
            k.axpy(1f, layer.bq(), 0, q, t * qDim, qDim);
            k.axpy(1f, layer.bk(), 0, kNew, t * kvDim, kvDim);
            k.axpy(1f, layer.bv(), 0, vNew, t * kvDim, kvDim);
            rope.apply(q, t * qDim, c.heads(), pos + t);
            rope.apply(kNew, t * kvDim, c.kvHeads(), pos + t);
            cache.store(l, pos + t, kNew, t * kvDim, vNew, t * kvDim);
        }
        int window = c.isSliding(l) ? c.slidingWindow() : 0;
        attention.apply(q, cache.keys(l), cache.values(l), layer.sinks(), n, pos, window, att);
        k.matmul(layer.wo(), att, xb, n);
        for (int t = 0; t < n; t++) {
            k.axpy(1f, layer.bo(), 0, xb, t * dim, dim);
        }
    }
}
