package io.inferlab.datasets.models;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

import io.inferlab.engine.gguf.GgufArray;
import io.inferlab.engine.gguf.GgufWriter;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;

/**
 * Writes a {@code llama} GGUF model of a {@link ModelPreset}'s shape with deterministic random
 * weights (fixed seed per tensor), in llama.cpp's tensor names and metadata keys. The weights are
 * meaningless but well-scaled (uniform, variance 1/dim-ish), so activations stay finite and the
 * compute and memory traffic are those of a real model of that shape. Matrices are written in
 * the requested type, norms in F32, streamed row by row so the largest presets never sit on the
 * heap.
 */
public final class SyntheticModelWriter {
    public static final long DEFAULT_SEED = 0x1AFE_12ABL;

    private SyntheticModelWriter() {
    }

    public static void write(ModelPreset p, GgmlType type, Path out) {
        write(p, type, out, DEFAULT_SEED);
    }

    public static void write(ModelPreset p, GgmlType type, Path out, long seed) {
        if (type == GgmlType.MXFP4) {
            throw new IllegalArgumentException("MXFP4 is for gpt-oss expert weights, not a llama preset type");
        }
        SyntheticVocabulary vocab = SyntheticVocabulary.of(p.vocabSize());
        GgufWriter w = new GgufWriter()
                .put("general.architecture", "llama")
                .put("general.name", "inferlab-synthetic-" + p.name() + "-" + type.name().toLowerCase())
                .putUInt32("general.file_type", fileType(type))
                .putUInt32("general.quantization_version", 2)
                .putUInt32("llama.context_length", p.contextLength())
                .putUInt32("llama.embedding_length", p.dim())
                .putUInt32("llama.block_count", p.layers())
                .putUInt32("llama.feed_forward_length", p.ffnDim())
                .putUInt32("llama.rope.dimension_count", p.headDim())
                .putUInt32("llama.attention.head_count", p.heads())
                .putUInt32("llama.attention.head_count_kv", p.kvHeads())
                .putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .putFloat32("llama.rope.freq_base", p.ropeBase())
                .putUInt32("llama.vocab_size", p.vocabSize())
                .put("tokenizer.ggml.model", "llama")
                .put("tokenizer.ggml.tokens", GgufArray.of(vocab.tokens()))
                .put("tokenizer.ggml.scores", GgufArray.of(vocab.scores()))
                .put("tokenizer.ggml.token_type", GgufArray.of(vocab.tokenTypes()))
                .putUInt32("tokenizer.ggml.bos_token_id", SyntheticVocabulary.BOS)
                .putUInt32("tokenizer.ggml.eos_token_id", SyntheticVocabulary.EOS)
                .putUInt32("tokenizer.ggml.unknown_token_id", SyntheticVocabulary.UNK)
                .putBool("tokenizer.ggml.add_bos_token", true)
                .putBool("tokenizer.ggml.add_space_prefix", true);

        int d = p.dim();
        matrix(w, "token_embd.weight", type, d, p.vocabSize(), seed, 1f);
        for (int l = 0; l < p.layers(); l++) {
            String b = "blk." + l + ".";
            norm(w, b + "attn_norm.weight", d);
            matrix(w, b + "attn_q.weight", type, d, d, seed, 1f);
            matrix(w, b + "attn_k.weight", type, d, p.kvDim(), seed, 1f);
            matrix(w, b + "attn_v.weight", type, d, p.kvDim(), seed, 1f);
            matrix(w, b + "attn_output.weight", type, d, d, seed, 1f);
            norm(w, b + "ffn_norm.weight", d);
            matrix(w, b + "ffn_gate.weight", type, d, p.ffnDim(), seed, 1f);
            matrix(w, b + "ffn_up.weight", type, d, p.ffnDim(), seed, 1f);
            matrix(w, b + "ffn_down.weight", type, p.ffnDim(), d, seed, 1f);
        }
        norm(w, "output_norm.weight", d);
        if (!p.tiedOutput()) {
            matrix(w, "output.weight", type, d, p.vocabSize(), seed, 1f);
        }
        w.write(out);
    }

    /** llama.cpp's LLAMA_FTYPE for an all-{@code type} model. */
    static int fileType(GgmlType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case BF16 -> 32;
            case MXFP4 -> 38;
        };
    }

    private static void norm(GgufWriter w, String name, int n) {
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        w.addTensor(name, new long[] {n}, ones);
    }

    /** A rows x cols matrix of uniform values with standard deviation gain / sqrt(cols). */
    private static void matrix(GgufWriter w, String name, GgmlType type, int cols, int rows, long seed, float gain) {
        w.addTensor(name, type, new long[] {cols, rows}, out -> writeRows(out, name, type, cols, rows, seed, gain));
    }

    private static void writeRows(OutputStream out, String name, GgmlType type, int cols, int rows, long seed,
                                  float gain) throws IOException {
        SplittableRandom random = new SplittableRandom(seed ^ name.hashCode() * 0x9E3779B97F4A7C15L);
        float bound = (float) (gain * Math.sqrt(3.0 / cols)); // uniform(-a, a) has variance a^2 / 3
        int rowsPerChunk = Math.max(1, (1 << 20) / cols);
        float[] chunk = new float[rowsPerChunk * cols];
        for (int r = 0; r < rows; r += rowsPerChunk) {
            int n = Math.min(rowsPerChunk, rows - r);
            float[] values = n == rowsPerChunk ? chunk : new float[n * cols];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            out.write(Quantizer.quantize(type, values));
        }
    }
}
