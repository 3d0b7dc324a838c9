package io.inferlab.engine.model;

import io.inferlab.api.ModelFormatException;
import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.gguf.GgufMetadata;
import io.inferlab.engine.kernels.Rope;

/**
 * Hyper-parameters of a {@code llama}-architecture model, all from GGUF metadata
 * ({@code llama.*} keys, as llama.cpp's converter writes them).
 *
 * @param dim            embedding length (model width)
 * @param layers         transformer blocks
 * @param heads          query heads
 * @param kvHeads        key/value heads (grouped-query attention when fewer than {@code heads})
 * @param headDim        values per head (key length)
 * @param ffnDim         SwiGLU hidden width
 * @param vocabSize      rows of the token embedding
 * @param contextLength  the model's trained context
 * @param rmsEps         RMSNorm epsilon
 * @param ropeBase       RoPE frequency base
 * @param ropeDim        rotated values per head
 * @param ropeScale      linear position scaling (1 = none)
 * @param ropeLayout     NORMAL (interleaved pairs) for llama, as llama.cpp's LLAMA_ROPE_TYPE_NORM
 */
public record LlamaConfig(String architecture, int dim, int layers, int heads, int kvHeads, int headDim, int ffnDim,
                          int vocabSize, int contextLength, float rmsEps, float ropeBase, int ropeDim, float ropeScale,
                          Rope.Layout ropeLayout) implements AttentionHeads {

    /** Upper bounds that no real model reaches; larger values are treated as a malformed file. */
    static final int MAX_DIM = 1 << 16;
    static final int MAX_LAYERS = 1024;
    static final int MAX_HEADS = 1024;
    static final int MAX_FFN = 1 << 20;
    static final int MAX_VOCAB = 1 << 22;

    public LlamaConfig {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("head_count " + heads + " is not a multiple of head_count_kv " + kvHeads);
        }
    }

    /** The sizes a forward pass is built with. */
    public DecoderShape shape() {
        return new DecoderShape(layers, dim, heads, kvHeads, headDim, ropeDim, vocabSize, rmsEps);
    }

    /** Reads and validates the {@code <arch>.*} keys; {@code vocabSize} comes from the embedding tensor. */
    public static LlamaConfig from(GgufMetadata md, int vocabSize) {
        String arch = md.getString("general.architecture");
        if (!arch.equals("llama")) {
            throw new UnsupportedModelException(md.file() + ": architecture '" + arch
                    + "' is not supported by this engine yet (supported: llama)");
        }
        int dim = bounded(md, arch + ".embedding_length", MAX_DIM);
        int layers = bounded(md, arch + ".block_count", MAX_LAYERS);
        int heads = bounded(md, arch + ".attention.head_count", MAX_HEADS);
        int kvHeads = md.contains(arch + ".attention.head_count_kv")
                ? bounded(md, arch + ".attention.head_count_kv", MAX_HEADS) : heads;
        if (heads % kvHeads != 0) {
            throw md.invalid(arch + ".attention.head_count_kv", kvHeads + " does not divide head_count " + heads);
        }
        int headDim = md.contains(arch + ".attention.key_length")
                ? bounded(md, arch + ".attention.key_length", MAX_DIM) : dim / heads;
        if (headDim * heads == 0 || (!md.contains(arch + ".attention.key_length") && dim % heads != 0)) {
            throw md.invalid(arch + ".attention.head_count", heads + " does not divide embedding_length " + dim);
        }
        int ffn = bounded(md, arch + ".feed_forward_length", MAX_FFN);
        int ctx = bounded(md, arch + ".context_length", 1 << 24);
        float eps = md.optFloat(arch + ".attention.layer_norm_rms_epsilon").orElse(1e-5f);
        if (!(eps > 0 && eps < 1)) {
            throw md.invalid(arch + ".attention.layer_norm_rms_epsilon", "must be in (0, 1), got " + eps);
        }
        float base = md.optFloat(arch + ".rope.freq_base").orElse(10000f);
        if (!(base > 1 && Float.isFinite(base))) {
            throw md.invalid(arch + ".rope.freq_base", "must be a finite number > 1, got " + base);
        }
        int ropeDim = md.contains(arch + ".rope.dimension_count")
                ? bounded(md, arch + ".rope.dimension_count", MAX_DIM) : headDim;
        if (ropeDim > headDim || ropeDim % 2 != 0) {
            throw md.invalid(arch + ".rope.dimension_count", ropeDim + " must be even and at most the head size " + headDim);
        }
        float scale = 1f;
        String scalingType = md.optString(arch + ".rope.scaling.type").orElse("none");
        switch (scalingType) {
            case "none" -> { }
            case "linear" -> {
                scale = md.optFloat(arch + ".rope.scaling.factor").orElse(1f);
                if (!(scale >= 1 && Float.isFinite(scale))) {
                    throw md.invalid(arch + ".rope.scaling.factor", "must be a finite number >= 1, got " + scale);
                }
            }
            default -> throw new UnsupportedModelException(md.file() + ": rope scaling '" + scalingType
                    + "' (" + arch + ".rope.scaling.type) is not supported for " + arch + " (supported: none, linear)");
        }
        if (vocabSize <= 0 || vocabSize > MAX_VOCAB) {
            throw new ModelFormatException(md.file(), "vocabulary size " + vocabSize + " is out of range (1.." + MAX_VOCAB + ")");
        }
        return new LlamaConfig(arch, dim, layers, heads, kvHeads, headDim, ffn, vocabSize, ctx, eps, base, ropeDim,
                scale, Rope.Layout.NORMAL);
    }

    static int bounded(GgufMetadata md, String key, int max) {
        long v = md.getLong(key);
        if (v <= 0 || v > max) {
            throw md.invalid(key, "absurd value " + v + " (expected 1.." + max + ")");
        }
        return (int) v;
    }
}
