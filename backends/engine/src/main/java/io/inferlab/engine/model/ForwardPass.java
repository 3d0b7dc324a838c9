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

    /**
     * The argument checks every implementation makes before a batch: {@code n} tokens
     * ({@code tokens[from .. from + n)}) at positions {@code pos ..}, each a vocabulary id.
     *
     * @throws IllegalArgumentException naming the batch size, the positions or the token id
     */
    static void checkBatch(int[] tokens, int from, int n, int pos, int maxBatch, int contextLength, int vocabSize) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " tokens (1.." + maxBatch + " allowed)");
        }
        if (pos < 0 || pos + n > contextLength) {
            throw new IllegalArgumentException("positions " + pos + ".." + (pos + n - 1) + " exceed the context of "
                    + contextLength);
        }
        for (int t = 0; t < n; t++) {
            int token = tokens[from + t];
            if (token < 0 || token >= vocabSize) {
                throw new IllegalArgumentException("token id " + token + " is outside the vocabulary (0.." + (vocabSize - 1) + ")");
            }
        }
    }
}
