package io.inferlab.engine.model;

import static io.inferlab.engine.model.LlamaConfig.bounded;

import java.util.Arrays;

import io.inferlab.api.ModelFormatException;
import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.gguf.GgufArray;
import io.inferlab.engine.gguf.GgufMetadata;
import io.inferlab.engine.gguf.GgufValueType;
import io.inferlab.engine.kernels.Rope;

/**
 * Hyper-parameters of a {@code gpt-oss} model from GGUF metadata ({@code gpt-oss.*} keys, as
 * llama.cpp's converter writes them).
 *
 * @param dim             embedding length
 * @param heads           query heads
 * @param kvHeads         key/value heads (grouped-query attention)
 * @param headDim         key (and value) length per head; q is {@code heads * headDim} wide, which
 *                        may exceed {@code dim}
 * @param experts         experts per layer
 * @param expertsUsed     experts each token is routed to (top-k)
 * @param expertFfnDim    hidden width of one expert's SwiGLU
 * @param ropeScale       YaRN factor (or linear scale; 1 = none)
 * @param yarn            YaRN's parameters, or null when the scaling is not YaRN
 * @param slidingWindow   positions a sliding-window layer sees, the current one included
 * @param slidingLayers   which layers use the sliding window (the others attend to every position)
 */
public record GptOssConfig(int dim, int layers, int heads, int kvHeads, int headDim, int experts, int expertsUsed,
                           int expertFfnDim, int vocabSize, int contextLength, float rmsEps, float ropeBase,
                           int ropeDim, float ropeScale, Rope.Yarn yarn, int slidingWindow, boolean[] slidingLayers)
        implements AttentionHeads {
    public static final String ARCH = GptOssModel.ARCHITECTURE;
    /** llama.cpp's pattern for gpt-oss when the file names none: every other layer, starting with layer 0. */
    public static final int DEFAULT_SLIDING_WINDOW_PATTERN = 2;
    static final int MAX_EXPERTS = 1 << 12;

    public GptOssConfig {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("head_count " + heads + " is not a multiple of head_count_kv " + kvHeads);
        }
        if (expertsUsed > experts) {
            throw new IllegalArgumentException("expert_used_count " + expertsUsed + " exceeds expert_count " + experts);
        }
        if (slidingLayers.length != layers) {
            throw new IllegalArgumentException(slidingLayers.length + " sliding-window flags for " + layers + " layers");
        }
        slidingLayers = slidingLayers.clone();
    }

    @Override
    public boolean[] slidingLayers() {
        return slidingLayers.clone();
    }

    public boolean isSliding(int layer) {
        return slidingLayers[layer];
    }

    /** The sizes a forward pass is built with. */
    public DecoderShape shape() {
        return new DecoderShape(layers, dim, heads, kvHeads, headDim, ropeDim, vocabSize, rmsEps);
    }

    /** RoPE over {@code positions}: NEOX halves with YaRN scaling, as llama.cpp builds gpt-oss. */
    public Rope rope(int positions) {
        return new Rope(Rope.Layout.NEOX, headDim, ropeDim, positions, ropeBase, ropeScale, null, yarn);
    }

    /**
     * Which layers slide, from {@code <arch>.attention.sliding_window_pattern}: an integer n (layer
     * i slides when i % n < n - 1, llama.cpp's llama_hparams::set_swa_pattern: with n = 2 the even
     * layers), or an array of one bool per layer. Absent: n = 2, llama.cpp's choice for gpt-oss.
     */
    static boolean[] slidingLayers(GgufMetadata md, int layers) {
        String key = ARCH + ".attention.sliding_window_pattern";
        boolean[] out = new boolean[layers];
        if (md.type(key).orElse(null) == GgufValueType.ARRAY) {
            GgufArray a = md.getArray(key);
            if (!(a.values() instanceof boolean[] flags) || flags.length != layers) {
                throw md.invalid(key, "expected " + layers + " bools (one per layer), found " + a);
            }
            return flags.clone();
        }
        long n = md.optLong(key).orElse((long) DEFAULT_SLIDING_WINDOW_PATTERN);
        if (n < 0 || n > layers + 1L) {
            throw md.invalid(key, "pattern " + n + " is out of range (0.." + (layers + 1) + ")");
        }
        for (int i = 0; i < layers; i++) {
            out[i] = n == 0 || i % n < n - 1;
        }
        return out;
    }

    /** Reads and validates the {@code gpt-oss.*} keys; {@code vocabSize} comes from the embedding tensor. */
    public static GptOssConfig from(GgufMetadata md, int vocabSize) {
        String arch = md.getString("general.architecture");
        if (!arch.equals(ARCH)) {
            throw new UnsupportedModelException(md.file() + ": architecture '" + arch + "' is not " + ARCH);
        }
        String p = ARCH + ".";
        int dim = bounded(md, p + "embedding_length", LlamaConfig.MAX_DIM);
        int layers = bounded(md, p + "block_count", LlamaConfig.MAX_LAYERS);
        int heads = bounded(md, p + "attention.head_count", LlamaConfig.MAX_HEADS);
        int kvHeads = md.contains(p + "attention.head_count_kv")
                ? bounded(md, p + "attention.head_count_kv", LlamaConfig.MAX_HEADS) : heads;
        if (heads % kvHeads != 0) {
            throw md.invalid(p + "attention.head_count_kv", kvHeads + " does not divide head_count " + heads);
        }
        int headDim = md.contains(p + "attention.key_length")
                ? bounded(md, p + "attention.key_length", LlamaConfig.MAX_DIM) : dim / heads;
        if (headDim == 0 || (!md.contains(p + "attention.key_length") && dim % heads != 0)) {
            throw md.invalid(p + "attention.head_count", heads + " does not divide embedding_length " + dim);
        }
        if (md.contains(p + "attention.value_length") && bounded(md, p + "attention.value_length", LlamaConfig.MAX_DIM) != headDim) {
            throw new UnsupportedModelException(md.file() + ": " + p + "attention.value_length "
                    + md.getLong(p + "attention.value_length") + " differs from key_length " + headDim
                    + " (not supported)");
        }
        int experts = bounded(md, p + "expert_count", MAX_EXPERTS);
        int used = bounded(md, p + "expert_used_count", MAX_EXPERTS);
        if (used > experts) {
            throw md.invalid(p + "expert_used_count", used + " exceeds expert_count " + experts);
        }
        String ffnKey = md.contains(p + "expert_feed_forward_length") ? p + "expert_feed_forward_length" : p + "feed_forward_length";
        int ffn = bounded(md, ffnKey, LlamaConfig.MAX_FFN);
        if (dim % 32 != 0 || ffn % 32 != 0) {
            throw md.invalid(ffnKey, "embedding_length " + dim + " and the expert width " + ffn
                    + " must be multiples of 32 (the quantization block)");
        }
        int ctx = bounded(md, p + "context_length", 1 << 24);
        float eps = md.optFloat(p + "attention.layer_norm_rms_epsilon").orElse(1e-5f);
        if (!(eps > 0 && eps < 1)) {
            throw md.invalid(p + "attention.layer_norm_rms_epsilon", "must be in (0, 1), got " + eps);
        }
        float base = md.optFloat(p + "rope.freq_base").orElse(10000f);
        if (!(base > 1 && Float.isFinite(base))) {
            throw md.invalid(p + "rope.freq_base", "must be a finite number > 1, got " + base);
        }
        int ropeDim = md.contains(p + "rope.dimension_count") ? bounded(md, p + "rope.dimension_count", LlamaConfig.MAX_DIM) : headDim;
        if (ropeDim > headDim || ropeDim % 2 != 0) {
            throw md.invalid(p + "rope.dimension_count", ropeDim + " must be even and at most the head size " + headDim);
        }
        float scale = 1f;
        Rope.Yarn yarn = null;
        String scalingType = md.optString(p + "rope.scaling.type").orElse("none");
        switch (scalingType) {
            case "none" -> { }
            case "linear", "yarn" -> {
                scale = md.optFloat(p + "rope.scaling.factor").orElse(1f);
                if (!(scale >= 1 && Float.isFinite(scale))) {
                    throw md.invalid(p + "rope.scaling.factor", "must be a finite number >= 1, got " + scale);
                }
                if (scalingType.equals("yarn")) {
                    // llama.cpp: the original context defaults to the trained one; betas to GGML's 32 and 1.
                    int original = md.contains(p + "rope.scaling.original_context_length")
                            ? bounded(md, p + "rope.scaling.original_context_length", 1 << 24) : ctx;
                    float fast = md.optFloat(p + "rope.scaling.yarn_beta_fast").orElse(Rope.Yarn.DEFAULT_BETA_FAST);
                    float slow = md.optFloat(p + "rope.scaling.yarn_beta_slow").orElse(Rope.Yarn.DEFAULT_BETA_SLOW);
                    if (!(fast > 0 && slow > 0 && Float.isFinite(fast) && Float.isFinite(slow))) {
                        throw md.invalid(p + "rope.scaling.yarn_beta_fast", "YaRN betas must be positive, got " + fast + ", " + slow);
                    }
                    yarn = new Rope.Yarn(original, fast, slow);
                }
            }
            default -> throw new UnsupportedModelException(md.file() + ": rope scaling '" + scalingType
                    + "' (" + p + "rope.scaling.type) is not supported for " + ARCH + " (supported: none, linear, yarn)");
        }
        int window = bounded(md, p + "attention.sliding_window", 1 << 24);
        if (vocabSize <= 0 || vocabSize > LlamaConfig.MAX_VOCAB) {
            throw new ModelFormatException(md.file(), "vocabulary size " + vocabSize + " is out of range (1.."
                    + LlamaConfig.MAX_VOCAB + ")");
        }
        return new GptOssConfig(dim, layers, heads, kvHeads, headDim, experts, used, ffn, vocabSize, ctx, eps, base,
                ropeDim, scale, yarn, window, slidingLayers(md, layers));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GptOssConfig c && dim == c.dim && layers == c.layers && heads == c.heads
                && kvHeads == c.kvHeads && headDim == c.headDim && experts == c.experts && expertsUsed == c.expertsUsed
                && expertFfnDim == c.expertFfnDim && vocabSize == c.vocabSize && contextLength == c.contextLength
                && rmsEps == c.rmsEps && ropeBase == c.ropeBase && ropeDim == c.ropeDim && ropeScale == c.ropeScale
                && java.util.Objects.equals(yarn, c.yarn) && slidingWindow == c.slidingWindow
                && Arrays.equals(slidingLayers, c.slidingLayers);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(dim, layers, heads, experts, vocabSize, Arrays.hashCode(slidingLayers));
    }
}
