package io.inferlab.engine.model.synthetic;

import io.inferlab.engine.model.AttentionHeads;

/**
 * The dimensions of a gpt-oss model: what {@link SyntheticGptOss} writes and what a memory plan
 * sizes without writing anything.
 *
 * @param headDim       key/value length per head ({@code attention.key_length}); q is {@code heads * headDim}
 *                      wide, which may exceed {@code dim} as in the real models
 * @param expertFfn     hidden size of one expert ({@code expert_feed_forward_length})
 * @param vocabRows     rows of the embedding and output matrices (the vocabulary size)
 * @param slidingWindow window of the sliding-window layers (the even ones)
 */
public record GptOssShape(int dim, int layers, int heads, int kvHeads, int headDim, int experts, int expertsUsed,
                          int expertFfn, int vocabRows, int slidingWindow, int contextLength)
        implements AttentionHeads {
    /** o200k_harmony's size: the real models' vocabulary and embedding rows. */
    public static final int O200K_HARMONY_ROWS = 201_088;

    public GptOssShape {
        if (dim < 1 || layers < 1 || heads < 1 || kvHeads < 1 || headDim < 1 || experts < 1 || expertFfn < 1
                || vocabRows < 1 || slidingWindow < 1 || contextLength < 1) {
            throw new IllegalArgumentException("every gpt-oss dimension must be >= 1");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("kv heads (" + kvHeads + ") must divide query heads (" + heads + ")");
        }
        if (expertsUsed < 1 || expertsUsed > experts) {
            throw new IllegalArgumentException("experts used (" + expertsUsed + ") must be 1.." + experts);
        }
        // Every matrix row is quantized in 32-value blocks (Q8_0, Q4_0, MXFP4).
        if (dim % 32 != 0 || expertFfn % 32 != 0 || (heads * headDim) % 32 != 0) {
            throw new IllegalArgumentException("dim, expert ffn and heads x head dim must be multiples of 32");
        }
    }

    /**
     * A 1.2B-parameter shape with gpt-oss's proportions (head 64, 8:1 grouped-query attention,
     * 32 experts with top-4, expert ffn = dim, window 128) and its 201088-token vocabulary rows.
     */
    public static GptOssShape oneB() {
        return new GptOssShape(1024, 8, 16, 2, 64, 32, 4, 1024, O200K_HARMONY_ROWS, 128, 4096);
    }

    /**
     * openai/gpt-oss-20b's shape, from its config.json (hidden_size 2880, num_hidden_layers 24,
     * num_attention_heads 64, num_key_value_heads 8, head_dim 64, num_local_experts 32,
     * num_experts_per_tok 4, intermediate_size 2880, sliding_window 128, vocab 201088,
     * max_position_embeddings 131072): about 20.9B parameters.
     */
    public static GptOssShape twentyB() {
        return new GptOssShape(2880, 24, 64, 8, 64, 32, 4, 2880, O200K_HARMONY_ROWS, 128, 131_072);
    }

    /**
     * The shape of {@code tiny-gpt-oss.gguf} (llama.cpp's tiny test model): 4 layers, dim 64,
     * 2 query heads and 1 KV head of 64, 4 experts with 2 used, expert ffn 128, window 16, with
     * the real vocabulary size, so almost all of its ~26M parameters are the embedding and output.
     */
    public static GptOssShape tiny() {
        return new GptOssShape(64, 4, 2, 1, 64, 4, 2, 128, O200K_HARMONY_ROWS, 16, 4096);
    }

    /** Attention matrices of one layer (q, k, v, output). */
    public long attentionParameters() {
        return 2L * dim * qDim() + 2L * dim * kvDim();
    }

    /** The gate, up and down matrices of all experts of one layer. */
    public long expertParameters() {
        return 3L * dim * expertFfn * experts;
    }

    /**
     * Every parameter: matrices, biases, norms and sinks, the embedding, and the output
     * ({@code tied}: the embedding is reused).
     */
    public long parameters(boolean tiedOutput) {
        long vectors = 2L * dim + qDim() + 2L * kvDim() + dim + heads // norms, q/k/v/o biases, sinks
                + experts + 2L * expertFfn * experts + (long) dim * experts; // router and expert biases
        long perLayer = attentionParameters() + (long) dim * experts + expertParameters() + vectors;
        return layers * perLayer + (long) dim * vocabRows * (tiedOutput ? 1 : 2) + dim;
    }
}
