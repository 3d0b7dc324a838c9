package io.inferlab.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.inferlab.api.ModelFormatException;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.tensor.Tensor;
import io.inferlab.engine.tokenizer.Tokenizer;
import io.inferlab.engine.tokenizer.Tokenizers;
import io.inferlab.engine.tokenizer.VocabularyTokenizer;

/**
 * A gpt-oss model read from a GGUF file: config, weights (mapped, not copied) and its o200k
 * tokenizer. Prompts get no BOS whatever the file says (the harmony format starts with
 * {@code <|start|>}), and a generation ends at {@code <|return|>} or {@code <|call|>} (the harmony
 * stop tokens) or {@code <|endoftext|>}, besides the tokenizer's own end-of-generation ids; never
 * at {@code <|end|>}, which only closes one message of several.
 */
public record GptOssModel(GgufFile file, GptOssConfig config, GptOssWeights weights, Tokenizer tokenizer,
                          int[] stopTokens) implements Model {
    public static final String ARCHITECTURE = "gpt-oss";
    /** The harmony stop tokens and the end of text, by name (o200k_harmony: 200002, 200012, 199999). */
    public static final List<String> STOP_TOKEN_NAMES = List.of("<|return|>", "<|call|>", "<|endoftext|>");

    public GptOssModel {
        stopTokens = stopTokens.clone();
    }

    /**
     * @throws ModelFormatException naming the key or tensor when something is missing or inconsistent
     */
    public static GptOssModel load(GgufFile f) {
        GptOssConfig config = GptOssConfig.from(f.metadata(), LlamaModel.vocabularyRows(f));
        GptOssWeights weights = GptOssWeights.from(f, config);
        VocabularyTokenizer tokenizer = Tokenizers.fromMetadata(f.metadata());
        LlamaModel.checkTokenizer(f, tokenizer, config.vocabSize());
        List<Integer> stops = new ArrayList<>();
        for (String name : STOP_TOKEN_NAMES) {
            int id = tokenizer.vocabulary().id(name);
            if (id >= 0) {
                stops.add(id);
            }
        }
        return new GptOssModel(f, config, weights, tokenizer, stops.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public int[] stopTokens() {
        return stopTokens.clone();
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int contextLength() {
        return config.contextLength();
    }

    /** Never a BOS: harmony conversations start with {@code <|start|>}, and llama.cpp adds none for gpt-oss. */
    @Override
    public int[] encodePrompt(String text) {
        return tokenizer.encode(text, false, false);
    }

    @Override
    public boolean isEndOfGeneration(int token) {
        for (int s : stopTokens) {
            if (s == token) {
                return true;
            }
        }
        return tokenizer.isEndOfGeneration(token);
    }

    @Override
    public List<Tensor> matrices() {
        return weights.matrices();
    }

    @Override
    public Tensor tokenEmbedding() {
        return weights.tokenEmbedding();
    }

    /** Dense matrices, one embedding row, and of each layer's experts only the {@code expertsUsed} a token reads. */
    @Override
    public long weightBytesPerToken() {
        long experts = 0;
        for (GptOssWeights.Layer l : weights.layers()) {
            experts += WeightStats.bytes(l.experts()) / config.experts() * config.expertsUsed();
        }
        return WeightStats.bytes(weights.denseMatrices()) + experts + weights.tokenEmbedding().rowBytes();
    }

    @Override
    public String weightsDescription() {
        String experts = weights.layers().isEmpty() ? "f32"
                : weights.layers().getFirst().experts().getFirst().type().name().toLowerCase(Locale.ROOT);
        return WeightStats.dominantTypeName(weights.denseMatrices()) + " weights, " + experts + " experts";
    }

    @Override
    public GptOssTransformer forwardPass(Kernels kernels, int contextLength, int maxBatch) {
        return new GptOssTransformer(this, kernels, contextLength, maxBatch);
    }
}
