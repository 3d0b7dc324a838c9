package io.inferlab.engine.model;

import io.inferlab.engine.kernels.Kernels;

/**
 * The gpt-oss forward pass over a KV cache, on any {@link Kernels}, with llama.cpp's semantics
 * for the architecture (llm_build_openai_moe_iswa):
 * <pre>
 *   h = x + Wo . attention(rope(Wq n + bq), rope(Wk n + bk), Wv n + bv) + bo,  n = rmsnorm(x) * attn_norm
 *   x' = h + moe(rmsnorm(h) * post_attention_norm)
 * </pre>
 * Attention has a learned sink logit per head ({@link Kernels#attend}), uses YaRN RoPE in the
 * NEOX layout, and on the sliding-window layers sees only the last {@code slidingWindow} positions
 * (the current one included: a key at p0 is masked from the query at p1 when p1 - p0 >= window,
 * llama.cpp's LLAMA_SWA_TYPE_STANDARD). The feed-forward block is a {@link MixtureOfExperts}.
 * Buffers are allocated once, so a decode step allocates nothing.
 */
public final class GptOssTransformer extends DecoderPass {
    private final GptOssConfig c;
    private final GptOssWeights w;
    private final MixtureOfExperts moe;
    private final float[] ffnOut;

    public GptOssTransformer(GptOssModel model, Kernels kernels, int contextLength, int maxBatch) {
        super(model.config().shape(), kernels, model.config().rope(contextLength), contextLength, maxBatch,
                model.weights().tokenEmbedding(), model.weights().outputNorm(), model.weights().output());
        this.c = model.config();
        this.w = model.weights();
        this.moe = new MixtureOfExperts(c, kernels, maxBatch);
        this.ffnOut = new float[maxBatch * c.dim()];
    }

    public GptOssConfig config() {
        return c;
    }

    @Override
    protected void layer(int l, int n, int pos, boolean lastOnly) {
        GptOssWeights.Layer layer = w.layers().get(l);
        int dim = c.dim();
        int m = attentionBlock(l, layer, n, pos, lastOnly);
        k.axpy(1f, xb, 0, x, 0, m * dim);
        for (int t = 0; t < m; t++) {
            k.rmsnorm(xb, t * dim, x, t * dim, layer.postAttnNorm(), dim, c.rmsEps());
        }
        moe.apply(layer, xb, ffnOut, m);
        k.axpy(1f, ffnOut, 0, x, 0, m * dim);
    }

    /**
     * Pre-norm attention with biases and sinks; leaves the block's output (before the residual
     * add) in {@code xb}, for the tokens it returns the count of (all, or the last alone).
     */
    private int attentionBlock(int l, GptOssWeights.Layer layer, int n, int pos, boolean lastOnly) {
        int dim = c.dim();
        int kvDim = c.kvDim();
        int qDim = c.qDim();
        projectQkv(layer.attnNorm(), layer.wq(), layer.wk(), layer.wv(), n);
        for (int t = 0; t < n; t++) {
            k.axpy(1f, layer.bq(), 0, q, t * qDim, qDim);
            k.axpy(1f, layer.bk(), 0, kNew, t * kvDim, kvDim);
            k.axpy(1f, layer.bv(), 0, vNew, t * kvDim, kvDim);
            rope.apply(q, t * qDim, c.heads(), pos + t);
            rope.apply(kNew, t * kvDim, c.kvHeads(), pos + t);
            cache.store(l, pos + t, kNew, t * kvDim, vNew, t * kvDim);
        }
        int m = lastOnly ? 1 : n;
        int first = lastOnly ? lastTokenOnly(n, pos) : pos;
        int window = c.isSliding(l) ? c.slidingWindow() : 0;
        attention.apply(q, cache.keys(l), cache.values(l), layer.sinks(), m, first, window, att);
        k.matmul(layer.wo(), att, xb, m);
        for (int t = 0; t < m; t++) {
            k.axpy(1f, layer.bo(), 0, xb, t * dim, dim);
        }
        return m;
    }
}
