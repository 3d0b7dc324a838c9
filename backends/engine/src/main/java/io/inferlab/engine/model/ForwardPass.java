package io.inferlab.engine.model;

/**
 * A loaded model's forward pass over its own KV cache, on some kernels: what the runtime needs
 * from every architecture. Tokens go through in batches of up to {@link #maxBatch()} (a prompt
 * in a few batched passes, decode as a batch of one); buffers are allocated once, so a decode
 * step allocates nothing. Not thread-safe.
 */
public interface ForwardPass {

    /**
     * Runs {@code count} tokens ({@code tokens[from .. from + count)}) at positions {@code pos ..
     * pos + count - 1} (count at most {@link #maxBatch()}), filling the KV cache, and returns the
     * logits of the last token: a buffer the next call reuses.
     *
     * @throws IllegalArgumentException for a bad batch size, positions beyond the context, or a
     *                                  token outside the vocabulary
     */
    float[] forward(int[] tokens, int from, int count, int pos);

    /** Like {@link #forward}, but writes the logits of every token of the batch into {@code out[outFrom + i]}. */
    void forwardAll(int[] tokens, int from, int count, int pos, float[][] out, int outFrom);

    /** KV cache positions. */
    int contextLength();

    /** Tokens per batched pass. */
    int maxBatch();

    /** Length of a logits vector. */
    int vocabSize();
}
