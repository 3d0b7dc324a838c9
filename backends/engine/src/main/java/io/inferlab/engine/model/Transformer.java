package io.inferlab.engine.model;

import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.kernels.Rope;

/**
 * The llama forward pass over a KV cache, on any {@link Kernels}. Tokens are processed in batches
 * of up to {@link #maxBatch()}: a prompt goes through in a few batched passes (each weight matrix
 * read once per batch), decode is a batch of one. All buffers are allocated once here, so the
 * decode loop allocates nothing.
 */
public final class Transformer implements ForwardPass {
    private final LlamaConfig c;
    private final LlamaWeights w;
    private final Kernels k;
    private final Rope rope;
    private final int contextLength;
    private final int maxBatch;

    private final KvCache cache;
    private final float[] x;
    private final float[] xb;
    private final float[] q;
    private final float[] kNew;
    private final float[] vNew;
    private final float[] att;
    private final float[] hb;
    private final float[] hb2;
    private final Attention attention;
    private final float[] logits;

    /**
     * @param contextLength KV cache positions (at most the model's context)
     * @param maxBatch      tokens per batched pass
     */
    public Transformer(LlamaModel model, Kernels kernels, int contextLength, int maxBatch) {
        this.c = model.config();
        this.w = model.weights();
        this.k = kernels;
        this.contextLength = contextLength;
        this.maxBatch = maxBatch;
        this.cache = new KvCache(c.layers(), contextLength, c.kvDim());
        this.rope = new Rope(c.ropeLayout(), c.headDim(), c.ropeDim(), contextLength, c.ropeBase(), c.ropeScale(),
                w.ropeFreqs());
        this.x = new float[maxBatch * c.dim()];
        this.xb = new float[maxBatch * c.dim()];
        this.q = new float[maxBatch * c.qDim()];
        this.kNew = new float[maxBatch * c.kvDim()];
        this.vNew = new float[maxBatch * c.kvDim()];
        this.att = new float[maxBatch * c.qDim()];
        this.hb = new float[maxBatch * c.ffnDim()];
        this.hb2 = new float[maxBatch * c.ffnDim()];
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

    public LlamaConfig config() {
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
            LlamaWeights.Layer layer = w.layers().get(l);
            attentionBlock(l, layer, n, pos);
            k.axpy(1f, xb, 0, x, 0, n * dim);
            feedForward(layer, n);
            k.axpy(1f, xb, 0, x, 0, n * dim);
        }
    }

    /** Pre-norm attention block; leaves the block's output (before the residual add) in {@code xb}. */
    private void attentionBlock(int l, LlamaWeights.Layer layer, int n, int pos) {
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
            rope.apply(q, t * qDim, c.heads(), pos + t);
            rope.apply(kNew, t * kvDim, c.kvHeads(), pos + t);
            cache.store(l, pos + t, kNew, t * kvDim, vNew, t * kvDim);
        }
        attention.apply(q, cache.keys(l), cache.values(l), null, n, pos, 0, att);
        k.matmul(layer.wo(), att, xb, n);
    }

    /** Pre-norm SwiGLU block; leaves its output in {@code xb}. */
    private void feedForward(LlamaWeights.Layer layer, int n) {
        int dim = c.dim();
        for (int t = 0; t < n; t++) {
            k.rmsnorm(xb, t * dim, x, t * dim, layer.ffnNorm(), dim, c.rmsEps());
        }
        k.matmul(layer.ffnGate(), xb, hb, n);
        k.matmul(layer.ffnUp(), xb, hb2, n);
        k.swiglu(hb, hb2, n * c.ffnDim());
        k.matmul(layer.ffnDown(), hb, xb, n);
    }
}
