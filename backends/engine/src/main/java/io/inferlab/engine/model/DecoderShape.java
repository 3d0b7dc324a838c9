package io.inferlab.engine.model;

/**
 * The sizes every decoder-only architecture here shares, whichever config they come from: what a
 * forward pass needs to size its residual stream, queries, KV cache, RoPE tables and logits, on
 * the CPU ({@code DecoderPass}) or on a device.
 *
 * @param headDim values per attention head
 * @param ropeDim values per head that RoPE rotates (at most {@code headDim})
 */
public record DecoderShape(int layers, int dim, int heads, int kvHeads, int headDim, int ropeDim, int vocabSize,
                           float rmsEps) implements AttentionHeads {
}
