package io.inferlab.engine.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.inferlab.engine.gguf.GgufArray;
import io.inferlab.engine.gguf.GgufValueType;
import io.inferlab.engine.gguf.GgufWriter;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;

/**
 * Builds a small random {@code llama} GGUF (dim 64, 2 layers, 4 query / 2 KV heads, vocabulary of
 * 300 SentencePiece tokens) in any weight type, with hooks to break it: override or drop a
 * metadata key, drop a tensor, change a tensor's shape. Used by model-loading and cross-backend tests.
 */
public final class TinyLlamaFixture {
    public static final int DIM = 64;
    public static final int LAYERS = 2;
    public static final int HEADS = 4;
    public static final int KV_HEADS = 2;
    public static final int FFN = 96;
    public static final int VOCAB = 300;

    private GgmlType type = GgmlType.F32;
    private boolean tiedOutput = false;
    private long seed = 1;
    private final Map<String, Object[]> overrides = new LinkedHashMap<>();
    private final Set<String> droppedKeys = new HashSet<>();
    private final Set<String> droppedTensors = new HashSet<>();
    private final Map<String, long[]> reshaped = new LinkedHashMap<>();

    public TinyLlamaFixture type(GgmlType t) {
        this.type = t;
        return this;
    }

    public TinyLlamaFixture tiedOutput(boolean tied) {
        this.tiedOutput = tied;
        return this;
    }

    public TinyLlamaFixture seed(long s) {
        this.seed = s;
        return this;
    }

    public TinyLlamaFixture set(String key, GgufValueType t, Object value) {
        overrides.put(key, new Object[] {t, value});
        return this;
    }

    public TinyLlamaFixture drop(String key) {
        droppedKeys.add(key);
        return this;
    }

    public TinyLlamaFixture dropTensor(String name) {
        droppedTensors.add(name);
        return this;
    }

    /** Writes {@code name} with this shape instead (data sized to match, so only the shape is wrong). */
    public TinyLlamaFixture reshape(String name, long... shape) {
        reshaped.put(name, shape);
        return this;
    }

    public Path write(Path file) {
        Map<String, Object[]> md = new LinkedHashMap<>();
        md.put("general.architecture", new Object[] {GgufValueType.STRING, "llama"});
        md.put("general.name", new Object[] {GgufValueType.STRING, "tiny-fixture"});
        md.put("llama.context_length", new Object[] {GgufValueType.UINT32, 128L});
        md.put("llama.embedding_length", new Object[] {GgufValueType.UINT32, (long) DIM});
        md.put("llama.block_count", new Object[] {GgufValueType.UINT32, (long) LAYERS});
        md.put("llama.feed_forward_length", new Object[] {GgufValueType.UINT32, (long) FFN});
        md.put("llama.attention.head_count", new Object[] {GgufValueType.UINT32, (long) HEADS});
        md.put("llama.attention.head_count_kv", new Object[] {GgufValueType.UINT32, (long) KV_HEADS});
        md.put("llama.attention.layer_norm_rms_epsilon", new Object[] {GgufValueType.FLOAT32, 1e-5f});
        md.put("llama.rope.freq_base", new Object[] {GgufValueType.FLOAT32, 10000f});
        md.put("tokenizer.ggml.model", new Object[] {GgufValueType.STRING, "llama"});
        String[] tokens = new String[VOCAB];
        float[] scores = new float[VOCAB];
        int[] types = new int[VOCAB];
        tokens[0] = "<unk>";
        types[0] = 2;
        tokens[1] = "<s>";
        types[1] = 3;
        tokens[2] = "</s>";
        types[2] = 3;
        for (int b = 0; b < 256; b++) {
            tokens[3 + b] = "<0x%02X>".formatted(b);
            types[3 + b] = 6;
        }
        String letters = "abcdefghijklmnopqrstuvwxyz";
        for (int i = 259; i < VOCAB; i++) {
            int k = i - 259;
            tokens[i] = k < 26 ? String.valueOf(letters.charAt(k)) : "\u2581" + letters.charAt(k % 26);
            scores[i] = -k;
            types[i] = 1;
        }
        md.put("tokenizer.ggml.tokens", new Object[] {GgufValueType.ARRAY, GgufArray.of(tokens)});
        md.put("tokenizer.ggml.scores", new Object[] {GgufValueType.ARRAY, GgufArray.of(scores)});
        md.put("tokenizer.ggml.token_type", new Object[] {GgufValueType.ARRAY, GgufArray.of(types)});
        md.put("tokenizer.ggml.bos_token_id", new Object[] {GgufValueType.UINT32, 1L});
        md.put("tokenizer.ggml.eos_token_id", new Object[] {GgufValueType.UINT32, 2L});
        md.putAll(overrides);
        droppedKeys.forEach(md::remove);

        GgufWriter w = new GgufWriter();
        md.forEach((k, v) -> w.put(k, (GgufValueType) v[0], v[1]));
        Random random = new Random(seed);
        List<Object[]> tensors = new ArrayList<>();
        tensors.add(new Object[] {"token_embd.weight", new long[] {DIM, VOCAB}, true});
        tensors.add(new Object[] {"output_norm.weight", new long[] {DIM}, false});
        if (!tiedOutput) {
            tensors.add(new Object[] {"output.weight", new long[] {DIM, VOCAB}, true});
        }
        int kvDim = DIM / HEADS * KV_HEADS;
        for (int l = 0; l < LAYERS; l++) {
            String p = "blk." + l + ".";
            tensors.add(new Object[] {p + "attn_norm.weight", new long[] {DIM}, false});
            tensors.add(new Object[] {p + "attn_q.weight", new long[] {DIM, DIM}, true});
            tensors.add(new Object[] {p + "attn_k.weight", new long[] {DIM, kvDim}, true});
            tensors.add(new Object[] {p + "attn_v.weight", new long[] {DIM, kvDim}, true});
            tensors.add(new Object[] {p + "attn_output.weight", new long[] {DIM, DIM}, true});
            tensors.add(new Object[] {p + "ffn_norm.weight", new long[] {DIM}, false});
            tensors.add(new Object[] {p + "ffn_gate.weight", new long[] {DIM, FFN}, true});
            tensors.add(new Object[] {p + "ffn_up.weight", new long[] {DIM, FFN}, true});
            tensors.add(new Object[] {p + "ffn_down.weight", new long[] {FFN, DIM}, true});
        }
        for (Object[] t : tensors) {
            String name = (String) t[0];
            if (droppedTensors.contains(name)) {
                continue;
            }
            long[] shape = reshaped.getOrDefault(name, (long[]) t[1]);
            boolean matrix = (Boolean) t[2];
            int n = Math.toIntExact(shape[0] * (shape.length > 1 ? shape[1] : 1));
            float[] values = new float[n];
            double scale = matrix ? 1.0 / Math.sqrt(shape[0]) : 0;
            for (int i = 0; i < n; i++) {
                values[i] = matrix ? (float) (random.nextGaussian() * scale) : (float) (1 + 0.1 * random.nextGaussian());
            }
            GgmlType tt = matrix ? type : GgmlType.F32;
            w.addTensor(name, tt, shape, Quantizer.quantize(tt, values));
        }
        w.write(file);
        return file;
    }
}
