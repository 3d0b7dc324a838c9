package io.inferlab.engine.model;

import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.tensor.Tensor;

/**
 * What the llama and gpt-oss forward passes share: the checks of a batch, the embedding lookup, the residual stream and the attention's buffers and KV cache, the final norm
 * and the logits. A subclass adds its layers ({@link #layer}); attention blocks start with
 * {@link #projectQkv}. All buffers are allocated here once, so a decode step allocates nothing.
 */
abstract sealed class DecoderPass implements ForwardPass permits Transformer, GptOssTransformer {
    protected final Kernels k;
    protected final Rope rope;
    protected final KvCache cache;
    protected final Attention attention;
    /** The residual stream: {@code dim} floats per token of the batch. */
    protected final float[] x;
    /** A block's normed input, then its output before the residual add. */
    protected final float[] xb;
    protected final float[] q;
    protected final float[] kNew;
    protected final float[] vNew;
    /** The attention's output, the input of the output projection. */
    protected final float[] att;
    /** The current block's wq, wk and wv, and their outputs, for {@link Kernels#matmuls}: kept to allocate nothing. */
    private final Tensor[] qkv = new Tensor[3];
    private final float[][] qkvOut;
    private final DecoderShape shape;
    private final int contextLength;
    private final int maxBatch;
    private final Tensor tokenEmbedding;
    private final float[] outputNorm;
    private final Tensor output;
    private final float[] logits;

    DecoderPass(DecoderShape shape, Kernels kernels, Rope rope, int contextLength, int maxBatch, Tensor tokenEmbedding,
                float[] outputNorm, Tensor output) {
        if (contextLength < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("context " + contextLength + " and batch " + maxBatch + " must be >= 1");
        }
        this.shape = shape;
        this.k = kernels;
        this.rope = rope;
        this.contextLength = contextLength;
        this.maxBatch = maxBatch;
        this.tokenEmbedding = tokenEmbedding;
        this.outputNorm = outputNorm;
        this.output = output;
        this.cache = new KvCache(shape.layers(), contextLength, shape.kvDim());
        this.attention = new Attention(kernels, shape.heads(), shape.kvHeads(), shape.headDim(), contextLength);
        this.x = new float[maxBatch * shape.dim()];
        this.xb = new float[maxBatch * shape.dim()];
        this.q = new float[maxBatch * shape.qDim()];
        this.kNew = new float[maxBatch * shape.kvDim()];
        this.vNew = new float[maxBatch * shape.kvDim()];
        this.att = new float[maxBatch * shape.qDim()];
        this.qkvOut = new float[][] {q, kNew, vNew};
        this.logits = new float[shape.vocabSize()];
    }

    @Override
    public final int contextLength() {
        return contextLength;
    }

    @Override
    public final int maxBatch() {
        return maxBatch;
    }

    @Override
    public final int vocabSize() {
        return shape.vocabSize();
    }

    /**
     * Only the last token's hidden state leaves the last layer: its other tokens' keys and values
     * are cached there, but their attention, output projection and feed-forward are skipped
     * (llama.cpp skips the same rows with its output ids). In a 1b llama prefill that is 4% of
     * the matmuls' work.
     */
    @Override
    public final float[] forward(int[] tokens, int from, int count, int pos) {
        forwardHidden(tokens, from, count, pos, true);
        return logitsOf(0);
    }

    @Override
    public final void forwardAll(int[] tokens, int from, int count, int pos, float[][] out, int outFrom) {
        forwardHidden(tokens, from, count, pos, false);
        for (int t = 0; t < count; t++) {
            System.arraycopy(logitsOf(t), 0, out[outFrom + t], 0, shape.vocabSize());
        }
    }

    /**
     * Layer {@code l} on the {@code n} tokens of the batch at positions {@code pos ..}:
     * {@link #x} in and out. With {@code lastOnly} the layer caches every token's key and value
     * but goes on from its attention with the last token alone ({@link #lastTokenOnly}), whose
     * state it leaves in row 0 of {@link #x}.
     */
    protected abstract void layer(int l, int n, int pos, boolean lastOnly);

    /**
     * Moves the batch's last token to row 0 of {@link #x} and {@link #q}, after its keys and
     * values are cached, for a layer that goes on with that token alone; returns its position.
     */
    protected final int lastTokenOnly(int n, int pos) {
        System.arraycopy(x, (n - 1) * shape.dim(), x, 0, shape.dim());
        System.arraycopy(q, (n - 1) * shape.qDim(), q, 0, shape.qDim());
        return pos + n - 1;
    }

    /**
     * The start of an attention block: each token's {@link #x} normed with {@code norm} into
     * {@link #xb}, then projected to {@link #q}, {@link #kNew} and {@link #vNew}.
     */
    protected final void projectQkv(float[] norm, Tensor wq, Tensor wk, Tensor wv, int n) {
        int dim = shape.dim();
        for (int t = 0; t < n; t++) {
            k.rmsnorm(xb, t * dim, x, t * dim, norm, dim, shape.rmsEps());
        }
        qkv[0] = wq;
        qkv[1] = wk;
        qkv[2] = wv;
        k.matmuls(qkv, xb, qkvOut, n);
    }

    private float[] logitsOf(int t) {
        k.rmsnorm(xb, 0, x, t * shape.dim(), outputNorm, shape.dim(), shape.rmsEps());
        k.matvec(output, xb, logits);
        return logits;
    }

    /** The batch through every layer; with {@code lastOnly}, the last layer keeps only the last token, in row 0. */
    private void forwardHidden(int[] tokens, int from, int n, int pos, boolean lastOnly) {
        ForwardPass.checkBatch(tokens, from, n, pos, maxBatch, contextLength, shape.vocabSize());
        for (int t = 0; t < n; t++) {
            k.getRow(tokenEmbedding, tokens[from + t], x, t * shape.dim());
        }
        for (int l = 0; l < shape.layers(); l++) {
            layer(l, n, pos, lastOnly && l == shape.layers() - 1);
        }
    }
}
