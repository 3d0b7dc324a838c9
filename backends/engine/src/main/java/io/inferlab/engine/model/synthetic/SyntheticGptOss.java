package io.inferlab.engine.model.synthetic;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import io.inferlab.engine.gguf.GgufArray;
import io.inferlab.engine.gguf.GgufValueType;
import io.inferlab.engine.tensor.GgmlType;

/**
 * Writes a random {@code gpt-oss} GGUF in llama.cpp's layout and metadata keys: attention with
 * biases and per-head sinks, a router with bias, MXFP4 experts (GGML type 39, always: that is
 * what the architecture ships) as 3-D {@code [cols, rows, experts]} tensors with per-expert
 * biases, YaRN RoPE (factor 32 over 4096 trained positions, base 150000, as the real models),
 * sliding window on the even layers (the default pattern), and a {@link HarmonyVocabulary}.
 * Values are deterministic: each tensor draws from {@code SplittableRandom(seed ^ hash(name))},
 * so the same settings give the same bytes. Matrices are uniform with variance ~1/cols so
 * activations stay finite: the text is meaningless, the compute and memory traffic are those of
 * a real model of the shape.
 *
 * <p>This is the one gpt-oss writer: the model presets (datasets) and the engine's test fixture
 * (which adds error hooks through {@link #contents()}) both use it.
 *
 * @param denseType     attention, router and output matrices
 * @param embeddingType {@code token_embd.weight}
 * @param tiedOutput    leave out {@code output.weight} (the embedding is reused)
 */
public record SyntheticGptOss(String name, GptOssShape shape, HarmonyVocabulary vocabulary, GgmlType denseType,
                              GgmlType embeddingType, boolean tiedOutput, long seed) {
    /** llama.cpp's LLAMA_FTYPE_MOSTLY_MXFP4_MOE: MXFP4 experts, the rest in another type. */
    public static final int FILE_TYPE_MXFP4_MOE = 38;
    public static final String ARCH = "gpt-oss";

    public SyntheticGptOss {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(vocabulary, "vocabulary");
        Objects.requireNonNull(denseType, "denseType");
        Objects.requireNonNull(embeddingType, "embeddingType");
        if (vocabulary.size() > shape.vocabRows()) {
            throw new IllegalArgumentException(name + ": the vocabulary has " + vocabulary.size()
                    + " tokens but the shape only " + shape.vocabRows() + " embedding rows");
        }
        if (denseType == GgmlType.MXFP4 || embeddingType == GgmlType.MXFP4) {
            throw new IllegalArgumentException(name + ": only the experts are MXFP4 in gpt-oss");
        }
    }

    /** The file's metadata and tensor specifications, to write or to edit first. */
    public SyntheticTensors contents() {
        GptOssShape s = shape;
        String a = ARCH + ".";
        SyntheticTensors c = new SyntheticTensors()
                .put("general.architecture", GgufValueType.STRING, ARCH)
                .put("general.name", GgufValueType.STRING, name)
                .put("general.file_type", GgufValueType.UINT32, (long) FILE_TYPE_MXFP4_MOE)
                .put("general.quantization_version", GgufValueType.UINT32, 2L)
                .put(a + "block_count", GgufValueType.UINT32, (long) s.layers())
                .put(a + "context_length", GgufValueType.UINT32, (long) s.contextLength())
                .put(a + "embedding_length", GgufValueType.UINT32, (long) s.dim())
                .put(a + "feed_forward_length", GgufValueType.UINT32, (long) s.expertFfn())
                .put(a + "expert_feed_forward_length", GgufValueType.UINT32, (long) s.expertFfn())
                .put(a + "expert_count", GgufValueType.UINT32, (long) s.experts())
                .put(a + "expert_used_count", GgufValueType.UINT32, (long) s.expertsUsed())
                .put(a + "attention.head_count", GgufValueType.UINT32, (long) s.heads())
                .put(a + "attention.head_count_kv", GgufValueType.UINT32, (long) s.kvHeads())
                .put(a + "attention.key_length", GgufValueType.UINT32, (long) s.headDim())
                .put(a + "attention.value_length", GgufValueType.UINT32, (long) s.headDim())
                .put(a + "attention.layer_norm_rms_epsilon", GgufValueType.FLOAT32, 1e-5f)
                .put(a + "attention.sliding_window", GgufValueType.UINT32, (long) s.slidingWindow())
                .put(a + "rope.freq_base", GgufValueType.FLOAT32, 150000f)
                .put(a + "rope.scaling.type", GgufValueType.STRING, "yarn")
                .put(a + "rope.scaling.factor", GgufValueType.FLOAT32, 32f)
                .put(a + "rope.scaling.original_context_length", GgufValueType.UINT32, 4096L)
                .put("tokenizer.ggml.model", GgufValueType.STRING, "gpt2")
                .put("tokenizer.ggml.pre", GgufValueType.STRING, "gpt-4o");
        // Rows beyond the vocabulary (a real-sized output on a small vocabulary) get reserved
        // tokens, so every id the model can produce decodes (to nothing).
        String[] tokens = Arrays.copyOf(vocabulary.tokens(), s.vocabRows());
        int[] types = Arrays.copyOf(vocabulary.tokenTypes(), s.vocabRows());
        for (int i = vocabulary.size(); i < tokens.length; i++) {
            tokens[i] = "<|reserved_" + i + "|>";
            types[i] = HarmonyVocabulary.UNUSED;
        }
        c.put("tokenizer.ggml.tokens", GgufValueType.ARRAY, GgufArray.of(tokens))
                .put("tokenizer.ggml.token_type", GgufValueType.ARRAY, GgufArray.of(types))
                .put("tokenizer.ggml.merges", GgufValueType.ARRAY, GgufArray.of(vocabulary.merges()))
                .put("tokenizer.ggml.bos_token_id", GgufValueType.UINT32, (long) vocabulary.bos())
                .put("tokenizer.ggml.eos_token_id", GgufValueType.UINT32, (long) vocabulary.eos())
                .put("tokenizer.ggml.padding_token_id", GgufValueType.UINT32, (long) vocabulary.padding());

        int q = s.qDim();
        int kv = s.kvDim();
        int e = s.experts();
        int f = s.expertFfn();
        int d = s.dim();
        add(c, "token_embd.weight", embeddingType, 1f, d, s.vocabRows());
        for (int l = 0; l < s.layers(); l++) {
            String p = "blk." + l + ".";
            norm(c, p + "attn_norm.weight", d);
            add(c, p + "attn_q.weight", denseType, 1f, d, q);
            add(c, p + "attn_q.bias", GgmlType.F32, 0.1f, q);
            add(c, p + "attn_k.weight", denseType, 1f, d, kv);
            add(c, p + "attn_k.bias", GgmlType.F32, 0.1f, kv);
            add(c, p + "attn_v.weight", denseType, 1f, d, kv);
            add(c, p + "attn_v.bias", GgmlType.F32, 0.1f, kv);
            add(c, p + "attn_output.weight", denseType, 1f, q, d);
            add(c, p + "attn_output.bias", GgmlType.F32, 0.1f, d);
            add(c, p + "attn_sinks.weight", GgmlType.F32, 2f, s.heads());
            norm(c, p + "post_attention_norm.weight", d);
            add(c, p + "ffn_gate_inp.weight", denseType, 1f, d, e);
            add(c, p + "ffn_gate_inp.bias", GgmlType.F32, 0.1f, e);
            add(c, p + "ffn_gate_exps.weight", GgmlType.MXFP4, 2f, d, f, e);
            add(c, p + "ffn_gate_exps.bias", GgmlType.F32, 0.1f, f, e);
            add(c, p + "ffn_up_exps.weight", GgmlType.MXFP4, 2f, d, f, e);
            add(c, p + "ffn_up_exps.bias", GgmlType.F32, 0.1f, f, e);
            add(c, p + "ffn_down_exps.weight", GgmlType.MXFP4, 1f, f, d, e);
            add(c, p + "ffn_down_exps.bias", GgmlType.F32, 0.1f, d, e);
        }
        norm(c, "output_norm.weight", d);
        if (!tiedOutput) {
            add(c, "output.weight", denseType, 1f, d, s.vocabRows());
        }
        return c;
    }

    public Path write(Path file) {
        return contents().write(file);
    }

    /**
     * Weight bytes one decode step reads: every dense matrix (attention, router, output) once,
     * of each layer's experts only {@code expertsUsed / experts}, and one embedding row. The
     * numerator of the decode roofline; the engine's {@code GptOssModel.weightBytesPerToken}
     * counts the same from a loaded file.
     */
    public long bytesPerToken() {
        GptOssShape s = shape;
        long attention = denseType.bytesFor(s.attentionParameters());
        long router = denseType.bytesFor((long) s.dim() * s.experts());
        long experts = GgmlType.MXFP4.bytesFor(s.expertParameters()) / s.experts() * s.expertsUsed();
        long output = (tiedOutput ? embeddingType : denseType).bytesFor((long) s.dim() * s.vocabRows());
        return s.layers() * (attention + router + experts) + output + embeddingType.bytesFor(s.dim());
    }

    /**
     * KV cache bytes for {@code positions} positions: keys and values of {@code kvDim} per
     * layer and position at {@code bytesPerValue} (4: our engine's F32 cache; 2: llama.cpp's
     * F16). With {@code windowed}, the sliding-window layers keep only their window (as
     * llama.cpp's SWA cache does); without it every layer keeps every position (our engine).
     */
    public long kvCacheBytes(long positions, int bytesPerValue, boolean windowed) {
        long slidingLayers = (shape.layers() + 1) / 2; // layers 0, 2, 4, ...
        long perPosition = 2L * shape.kvDim() * bytesPerValue;
        long full = (shape.layers() - (windowed ? slidingLayers : 0)) * positions * perPosition;
        long sliding = windowed ? slidingLayers * Math.min(positions, shape.slidingWindow()) * perPosition : 0;
        return full + sliding;
    }

    @Override
    public String toString() {
        return name + " (" + denseType.name().toLowerCase(Locale.ROOT) + " dense, mxfp4 experts)";
    }

    private void add(SyntheticTensors c, String tensor, GgmlType type, float gain, long... dims) {
        c.random(tensor, type, gain, 0, tensorSeed(tensor), dims);
    }

    /** Norm weights near 1 (sd 0.1). */
    private void norm(SyntheticTensors c, String tensor, long n) {
        c.random(tensor, GgmlType.F32, 0.1, 1, tensorSeed(tensor), n);
    }

    private long tensorSeed(String tensor) {
        return seed ^ (tensor.hashCode() * 0x9E3779B97F4A7C15L);
    }
}
