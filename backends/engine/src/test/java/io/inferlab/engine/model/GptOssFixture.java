package io.inferlab.engine.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.inferlab.engine.gguf.GgufValueType;
import io.inferlab.engine.model.synthetic.GptOssShape;
import io.inferlab.engine.model.synthetic.HarmonyVocabulary;
import io.inferlab.engine.model.synthetic.SyntheticGptOss;
import io.inferlab.engine.model.synthetic.SyntheticTensors;
import io.inferlab.engine.tensor.GgmlType;

/**
 * A random {@code gpt-oss} GGUF for tests, written by the project's one gpt-oss writer
 * ({@link SyntheticGptOss}) at a chosen shape (default {@link #tinyShape()}) with a small
 * byte-level BPE vocabulary that has the harmony special tokens. What this class adds are the
 * hooks that break a file for error tests (override or drop a metadata key, drop a tensor) and
 * scripted values ({@link #values}, {@link #alwaysPredicts}).
 */
public final class GptOssFixture {

    /** A few merges over the byte characters ("Ġ" is the space), enough to see BPE at work. */
    public static final List<String> MERGES = List.of("h e", "l l", "l o", "Ġ w", "o r", "he ll");
    public static final List<String> SPECIALS = HarmonyVocabulary.SPECIALS;
    private static final HarmonyVocabulary VOCABULARY = HarmonyVocabulary.of(MERGES,
            HarmonyVocabulary.minimumRows(MERGES.size()));
    /** The vocabulary: 256 byte characters, one token per merge, then the harmony specials (o200k offsets). */
    public static final List<String> TOKENS = List.of(VOCABULARY.tokens());

    /** Small enough for unit tests: q wider than dim, 4 experts with 2 used, window 8, the fixture's {@link #TOKENS} as rows. */
    public static GptOssShape tinyShape() {
        return new GptOssShape(64, 4, 4, 2, 32, 4, 2, 96, TOKENS.size(), 8, 1024);
    }

    private GptOssShape shape = tinyShape();
    private GgmlType denseType = GgmlType.F32;
    private GgmlType embeddingType = GgmlType.Q8_0;
    private boolean tiedOutput = false;
    private long seed = 7;
    private final Map<String, Object[]> overrides = new LinkedHashMap<>();
    private final Set<String> droppedKeys = new HashSet<>();
    private final Set<String> droppedTensors = new HashSet<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();

    /** The shape to write; its {@code vocabRows} must hold at least the fixture's {@link #TOKENS}. */
    public GptOssFixture shape(GptOssShape s) {
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
        GptOssShape s = shape;
        float[] embedding = new float[s.dim() * s.vocabRows()];
        for (int t = 0; t < s.vocabRows(); t++) {
            embedding[t * s.dim()] = 1f;
        }
        float[] output = new float[s.dim() * s.vocabRows()];
        output[tokenId(next) * s.dim()] = 1f;
        values("token_embd.weight", embedding);
        values("output.weight", output);
        for (int l = 0; l < s.layers(); l++) {
            values("blk." + l + ".attn_output.weight", new float[s.qDim() * s.dim()]);
            values("blk." + l + ".attn_output.bias", new float[s.dim()]);
            values("blk." + l + ".ffn_down_exps.weight", new float[s.expertFfn() * s.dim() * s.experts()]);
            values("blk." + l + ".ffn_down_exps.bias", new float[s.dim() * s.experts()]);
        }
        return this;
    }

    public int tokenId(String text) {
        return TOKENS.indexOf(text);
    }

    public Path write(Path file) {
        SyntheticTensors c = new SyntheticGptOss("gpt-oss-fixture", shape, VOCABULARY, denseType, embeddingType,
                tiedOutput, seed).contents();
        overrides.forEach((k, v) -> c.put(k, (GgufValueType) v[0], v[1]));
        droppedKeys.forEach(c::remove);
        droppedTensors.forEach(c::removeTensor);
        List<String> present = new ArrayList<>();
        c.tensors().forEach(t -> present.add(t.name()));
        values.forEach((name, v) -> {
            if (present.contains(name)) {
                c.values(name, v);
            }
        });
        return c.write(file);
    }
}
