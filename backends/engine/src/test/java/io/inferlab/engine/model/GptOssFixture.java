package io.inferlab.engine.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import io.inferlab.engine.gguf.GgufArray;
import io.inferlab.engine.gguf.GgufValueType;
import io.inferlab.engine.gguf.GgufWriter;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;

/**
 * Writes a random {@code gpt-oss} GGUF in llama.cpp's layout (attention with biases and sinks,
 * MXFP4 experts with per-expert biases, YaRN, sliding window on even layers) at a chosen
 * {@link Shape}, with a small byte-level BPE vocabulary that has the harmony special tokens. Big
 * tensors are streamed row block by row block, so a 1B-parameter shape never sits on the heap.
 * Hooks break it for error tests: override or drop a metadata key, drop a tensor.
 */
public final class GptOssFixture {

    /**
     * @param vocabRows rows of the embedding and output (at least the fixture's {@link #TOKENS}
     *                  tokens; more rows give a real-sized output matrix for performance runs)
     */
    public record Shape(int dim, int layers, int heads, int kvHeads, int headDim, int experts, int expertsUsed,
                        int expertFfn, int vocabRows, int slidingWindow, int contextLength) {
        /** Small enough for unit tests: q wider than dim, 4 experts with 2 used, window 8. */
        public static Shape tiny() {
            return new Shape(64, 4, 4, 2, 32, 4, 2, 96, TOKENS.size(), 8, 1024);
        }

        /**
         * A 1.2B-parameter shape with gpt-oss's proportions (head 64, 8:1 grouped-query attention,
         * 32 experts with top-4, window 128) and its 201088-token vocabulary rows.
         */
        public static Shape oneB() {
            return new Shape(1024, 8, 16, 2, 64, 32, 4, 1024, 201_088, 128, 4096);
        }

        public long parameters() {
            long attn = (long) dim * heads * headDim * 2 + (long) dim * kvHeads * headDim * 2;
            long moe = 3L * dim * expertFfn * experts + (long) dim * experts;
            return layers * (attn + moe) + 2L * dim * vocabRows;
        }
    }

    /** The vocabulary: 256 byte characters, a few merges, then the o200k_harmony special tokens. */
    public static final List<String> TOKENS;
    public static final List<String> MERGES = List.of("h e", "l l", "l o", "Ġ w", "o r", "he ll");
    public static final List<String> SPECIALS = List.of("<|startoftext|>", "<|endoftext|>", "<|return|>",
            "<|constrain|>", "<|channel|>", "<|start|>", "<|end|>", "<|message|>", "<|call|>");

    static {
        List<String> t = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            t.add(String.valueOf(byteChar(b)));
        }
        for (String m : MERGES) {
            t.add(m.replace(" ", ""));
        }
        t.addAll(SPECIALS);
        TOKENS = List.copyOf(t);
    }

    private Shape shape = Shape.tiny();
    private GgmlType denseType = GgmlType.F32;
    private GgmlType embeddingType = GgmlType.Q8_0;
    private boolean tiedOutput = false;
    private long seed = 7;
    private final Map<String, Object[]> overrides = new LinkedHashMap<>();
    private final Set<String> droppedKeys = new HashSet<>();
    private final Set<String> droppedTensors = new HashSet<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();

    public GptOssFixture shape(Shape s) {
        this.shape = s;
        return this;
    }

    /** Type of the attention, router and output matrices (F32 by default). */
    public GptOssFixture denseType(GgmlType t) {
        this.denseType = t;
        return this;
    }

    public GptOssFixture embeddingType(GgmlType t) {
        this.embeddingType = t;
        return this;
    }

    public GptOssFixture tiedOutput(boolean tied) {
        this.tiedOutput = tied;
        return this;
    }

    public GptOssFixture seed(long s) {
        this.seed = s;
        return this;
    }

    public GptOssFixture set(String key, GgufValueType t, Object value) {
        overrides.put(key, new Object[] {t, value});
        return this;
    }

    public GptOssFixture drop(String key) {
        droppedKeys.add(key);
        return this;
    }

    public GptOssFixture dropTensor(String name) {
        droppedTensors.add(name);
        return this;
    }

    /** Writes tensor {@code name} with these values (quantized to its type) instead of random ones. */
    public GptOssFixture values(String name, float[] v) {
        values.put(name, v.clone());
        return this;
    }

    /**
     * A model whose every layer adds nothing (attention output and experts' down projections
     * zero), so the last hidden state is the input token's embedding: all embeddings are e_0, and
     * output row {@code next} is the only one with a positive first column. It therefore predicts
     * {@code next} after any token: a scripted model for testing how generation stops.
     */
    public GptOssFixture alwaysPredicts(String next) {
        Shape s = shape;
        float[] embedding = new float[s.dim() * s.vocabRows()];
        for (int t = 0; t < s.vocabRows(); t++) {
            embedding[t * s.dim()] = 1f;
        }
        float[] output = new float[s.dim() * s.vocabRows()];
        output[tokenId(next) * s.dim()] = 1f;
        values("token_embd.weight", embedding);
        values("output.weight", output);
        for (int l = 0; l < s.layers(); l++) {
            values("blk." + l + ".attn_output.weight", new float[s.heads() * s.headDim() * s.dim()]);
            values("blk." + l + ".attn_output.bias", new float[s.dim()]);
            values("blk." + l + ".ffn_down_exps.weight", new float[s.expertFfn() * s.dim() * s.experts()]);
            values("blk." + l + ".ffn_down_exps.bias", new float[s.dim() * s.experts()]);
        }
        return this;
    }

    /** GPT-2's byte-to-character map (bytes_to_unicode): printable Latin-1 as itself, the rest from U+0100 up. */
    static char byteChar(int b) {
        int next = 256;
        for (int i = 0; i < 256; i++) {
            boolean printable = (i >= '!' && i <= '~') || (i >= 0xA1 && i <= 0xAC) || (i >= 0xAE && i <= 0xFF);
            if (i == b) {
                return (char) (printable ? i : next);
            }
            next += printable ? 0 : 1;
        }
        throw new IllegalArgumentException("not a byte: " + b);
    }

    public int tokenId(String text) {
        return TOKENS.indexOf(text);
    }

    public Path write(Path file) {
        Shape s = shape;
        String a = "gpt-oss.";
        Map<String, Object[]> md = new LinkedHashMap<>();
        md.put("general.architecture", new Object[] {GgufValueType.STRING, "gpt-oss"});
        md.put("general.name", new Object[] {GgufValueType.STRING, "gpt-oss-fixture"});
        md.put(a + "block_count", new Object[] {GgufValueType.UINT32, (long) s.layers()});
        md.put(a + "context_length", new Object[] {GgufValueType.UINT32, (long) s.contextLength()});
        md.put(a + "embedding_length", new Object[] {GgufValueType.UINT32, (long) s.dim()});
        md.put(a + "feed_forward_length", new Object[] {GgufValueType.UINT32, (long) s.expertFfn()});
        md.put(a + "expert_feed_forward_length", new Object[] {GgufValueType.UINT32, (long) s.expertFfn()});
        md.put(a + "expert_count", new Object[] {GgufValueType.UINT32, (long) s.experts()});
        md.put(a + "expert_used_count", new Object[] {GgufValueType.UINT32, (long) s.expertsUsed()});
        md.put(a + "attention.head_count", new Object[] {GgufValueType.UINT32, (long) s.heads()});
        md.put(a + "attention.head_count_kv", new Object[] {GgufValueType.UINT32, (long) s.kvHeads()});
        md.put(a + "attention.key_length", new Object[] {GgufValueType.UINT32, (long) s.headDim()});
        md.put(a + "attention.value_length", new Object[] {GgufValueType.UINT32, (long) s.headDim()});
        md.put(a + "attention.layer_norm_rms_epsilon", new Object[] {GgufValueType.FLOAT32, 1e-5f});
        md.put(a + "attention.sliding_window", new Object[] {GgufValueType.UINT32, (long) s.slidingWindow()});
        md.put(a + "rope.freq_base", new Object[] {GgufValueType.FLOAT32, 150000f});
        md.put(a + "rope.scaling.type", new Object[] {GgufValueType.STRING, "yarn"});
        md.put(a + "rope.scaling.factor", new Object[] {GgufValueType.FLOAT32, 32f});
        md.put(a + "rope.scaling.original_context_length", new Object[] {GgufValueType.UINT32, 4096L});
        md.put("tokenizer.ggml.model", new Object[] {GgufValueType.STRING, "gpt2"});
        md.put("tokenizer.ggml.pre", new Object[] {GgufValueType.STRING, "gpt-4o"});
        // Rows beyond the fixture's tokens (a real-sized output) get unused filler tokens, so every
        // id the model can produce decodes (to nothing).
        String[] tokens = new String[Math.max(TOKENS.size(), s.vocabRows())];
        int[] types = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = i < TOKENS.size() ? TOKENS.get(i) : "<|reserved_" + i + "|>";
            types[i] = i >= TOKENS.size() ? 5 : SPECIALS.contains(tokens[i]) ? 3 : 1; // UNUSED, CONTROL, NORMAL
        }
        md.put("tokenizer.ggml.tokens", new Object[] {GgufValueType.ARRAY, GgufArray.of(tokens)});
        md.put("tokenizer.ggml.token_type", new Object[] {GgufValueType.ARRAY, GgufArray.of(types)});
        md.put("tokenizer.ggml.merges", new Object[] {GgufValueType.ARRAY, GgufArray.of(MERGES.toArray(String[]::new))});
        md.put("tokenizer.ggml.bos_token_id", new Object[] {GgufValueType.UINT32, (long) tokenId("<|startoftext|>")});
        md.put("tokenizer.ggml.eos_token_id", new Object[] {GgufValueType.UINT32, (long) tokenId("<|return|>")});
        md.put("tokenizer.ggml.padding_token_id", new Object[] {GgufValueType.UINT32, (long) tokenId("<|endoftext|>")});
        md.putAll(overrides);
        droppedKeys.forEach(md::remove);

        GgufWriter w = new GgufWriter();
        md.forEach((k, v) -> w.put(k, (GgufValueType) v[0], v[1]));
        int q = s.heads() * s.headDim();
        int kv = s.kvHeads() * s.headDim();
        int e = s.experts();
        int f = s.expertFfn();
        int d = s.dim();
        add(w, "token_embd.weight", embeddingType, 1f, d, s.vocabRows());
        for (int l = 0; l < s.layers(); l++) {
            String p = "blk." + l + ".";
            add(w, p + "attn_norm.weight", GgmlType.F32, -1f, d);
            add(w, p + "attn_q.weight", denseType, 1f, d, q);
            add(w, p + "attn_q.bias", GgmlType.F32, 0.1f, q);
            add(w, p + "attn_k.weight", denseType, 1f, d, kv);
            add(w, p + "attn_k.bias", GgmlType.F32, 0.1f, kv);
            add(w, p + "attn_v.weight", denseType, 1f, d, kv);
            add(w, p + "attn_v.bias", GgmlType.F32, 0.1f, kv);
            add(w, p + "attn_output.weight", denseType, 1f, q, d);
            add(w, p + "attn_output.bias", GgmlType.F32, 0.1f, d);
            add(w, p + "attn_sinks.weight", GgmlType.F32, 2f, s.heads());
            add(w, p + "post_attention_norm.weight", GgmlType.F32, -1f, d);
            add(w, p + "ffn_gate_inp.weight", denseType, 1f, d, e);
            add(w, p + "ffn_gate_inp.bias", GgmlType.F32, 0.1f, e);
            add(w, p + "ffn_gate_exps.weight", GgmlType.MXFP4, 2f, d, f, e);
            add(w, p + "ffn_gate_exps.bias", GgmlType.F32, 0.1f, f, e);
            add(w, p + "ffn_up_exps.weight", GgmlType.MXFP4, 2f, d, f, e);
            add(w, p + "ffn_up_exps.bias", GgmlType.F32, 0.1f, f, e);
            add(w, p + "ffn_down_exps.weight", GgmlType.MXFP4, 1f, f, d, e);
            add(w, p + "ffn_down_exps.bias", GgmlType.F32, 0.1f, d, e);
        }
        add(w, "output_norm.weight", GgmlType.F32, -1f, d);
        if (!tiedOutput) {
            add(w, "output.weight", denseType, 1f, d, s.vocabRows());
        }
        w.write(file);
        return file;
    }

    /**
     * A tensor of uniform random values: matrices (gain > 0 and 2+ dimensions) with standard
     * deviation gain / sqrt(cols); vectors with standard deviation gain; gain -1 means norm weights
     * near 1.
     */
    private void add(GgufWriter w, String name, GgmlType type, float gain, long... dims) {
        if (droppedTensors.contains(name)) {
            return;
        }
        int cols = (int) dims[0];
        long rows = 1;
        for (int i = 1; i < dims.length; i++) {
            rows *= dims[i];
        }
        long totalRows = rows;
        double sd = gain < 0 ? 0.1 : dims.length > 1 ? gain / Math.sqrt(cols) : gain;
        double center = gain < 0 ? 1 : 0;
        long tensorSeed = seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L);
        float[] given = values.get(name);
        if (given != null) {
            w.addTensor(name, type, dims, Quantizer.quantize(type, given));
            return;
        }
        w.addTensor(name, type, dims, out -> stream(out, type, cols, totalRows, sd, center, tensorSeed));
    }

    private static void stream(OutputStream out, GgmlType type, int cols, long rows, double sd, double center,
                               long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        double bound = sd * Math.sqrt(3); // uniform(-a, a) has variance a^2 / 3
        int rowsPerChunk = (int) Math.max(1, Math.min(rows, (1 << 20) / cols));
        float[] chunk = new float[rowsPerChunk * cols];
        for (long r = 0; r < rows; r += rowsPerChunk) {
            int n = (int) Math.min(rowsPerChunk, rows - r);
            float[] values = n == rowsPerChunk ? chunk : new float[n * cols];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (center + (random.nextDouble() * 2 - 1) * bound);
            }
            out.write(Quantizer.quantize(type, values));
        }
    }
}
