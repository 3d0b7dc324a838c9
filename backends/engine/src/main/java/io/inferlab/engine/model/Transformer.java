package io.inferlab.engine.model;

import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.tensor.Tensor;

/**
 * The llama forward pass over a KV cache, on any {@link Kernels}. Tokens are processed in batches
 * of up to {@link #maxBatch()}: a prompt goes through in a few batched passes (each weight matrix
 * read once per batch), decode is a batch of one. All buffers are allocated once here, so the
 * decode loop allocates nothing.
 */
public final class Transformer extends DecoderPass {
    private final LlamaConfig c;
    private final LlamaWeights w;
    private final float[] hb;
    private final float[] hb2;
    /** The current block's FFN gate and up, and their outputs, for {@link Kernels#matmuls}. */
    private final Tensor[] gateUp = new Tensor[2];
    private final float[][] gateUpOut;

    /**
     * @param contextLength KV cache positions (at most the model's context)
     * @param maxBatch      tokens per batched pass
     */
    public Transformer(LlamaModel model, Kernels kernels, int contextLength, int maxBatch) {
        super(model.config().shape(), kernels, model.rope(contextLength), contextLength, maxBatch,
                model.weights().tokenEmbedding(), model.weights().outputNorm(), model.weights().output());
        this.c = model.config();
        this.w = model.weights();
        this.hb = new float[maxBatch * c.ffnDim()];
        this.hb2 = new float[maxBatch * c.ffnDim()];
        this.gateUpOut = new float[][] {hb, hb2};
    }


    public LlamaConfig config() {
        return c;
    }

    @Override
    protected void layer(int l, int n, int pos, boolean lastOnly) {
        LlamaWeights.Layer layer = w.layers().get(l);
        int dim = c.dim();
        int m = attentionBlock(l, layer, n, pos, lastOnly);
        k.axpy(1f, xb, 0, x, 0, m * dim);
        feedForward(layer, m);
        k.axpy(1f, xb, 0, x, 0, m * dim);
    }

    /**
     * Pre-norm attention block; leaves the block's output (before the residual add) in
     * {@code xb}, for the tokens it returns the count of (all, or the last alone).
     */
    private int attentionBlock(int l, LlamaWeights.Layer layer, int n, int pos, boolean lastOnly) {
        int kvDim = c.kvDim();
        int qDim = c.qDim();
        projectQkv(layer.attnNorm(), layer.wq(), layer.wk(), layer.wv(), n);
        for (int t = 0; t < n; t++) {
            rope.apply(q, t * qDim, c.heads(), pos + t);
            rope.apply(kNew, t * kvDim, c.kvHeads(), pos + t);
            cache.store(l, pos + t, kNew, t * kvDim, vNew, t * kvDim);
        }
        int m = lastOnly ? 1 : n;
        int first = lastOnly ? lastTokenOnly(n, pos) : pos;
        attention.apply(q, cache.keys(l), cache.values(l), null, m, first, 0, att);
        k.matmul(layer.wo(), att, xb, m);
        return m;
    }

    /** Pre-norm SwiGLU block; leaves its output in {@code xb}. */
    private void feedForward(LlamaWeights.Layer layer, int n) {
        int dim = c.dim();
        for (int t = 0; t < n; t++) {
            k.rmsnorm(xb, t * dim, x, t * dim, layer.ffnNorm(), dim, c.rmsEps());
        }
        gateUp[0] = layer.ffnGate();
        gateUp[1] = layer.ffnUp();
        k.matmuls(gateUp, xb, gateUpOut, n);
        k.swiglu(hb, hb2, n * c.ffnDim());
        k.matmul(layer.ffnDown(), hb, xb, n);
    }
}
