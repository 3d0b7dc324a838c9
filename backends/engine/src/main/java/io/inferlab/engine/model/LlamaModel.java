package io.inferlab.engine.model;

import java.util.List;

import io.inferlab.api.ModelFormatException;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.gguf.GgufTensorInfo;
import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.tensor.Tensor;
import io.inferlab.engine.tokenizer.Tokenizer;
import io.inferlab.engine.tokenizer.Tokenizers;

/** A llama model read from a GGUF file: config, weights (mapped, not copied) and tokenizer. */
public record LlamaModel(GgufFile file, LlamaConfig config, LlamaWeights weights, Tokenizer tokenizer) implements Model {
    public static final String ARCHITECTURE = "llama";

    /**
     * Reads the model's metadata, weights and tokenizer from an open file.
     *
     * @throws ModelFormatException naming the key or tensor when something is missing or inconsistent
     */
    public static LlamaModel load(GgufFile f) {
        LlamaConfig config = LlamaConfig.from(f.metadata(), vocabularyRows(f));
        LlamaWeights weights = LlamaWeights.from(f, config);
        Tokenizer tokenizer = Tokenizers.fromMetadata(f.metadata());
        checkTokenizer(f, tokenizer, config.vocabSize());
        return new LlamaModel(f, config, weights, tokenizer);
    }

    /** RoPE over {@code positions}, in the config's layout, with the file's own frequencies when it has them. */
    public Rope rope(int positions) {
        return new Rope(config.ropeLayout(), config.headDim(), config.ropeDim(), positions, config.ropeBase(),
                config.ropeScale(), weights.ropeFreqs());
    }

    /** Rows of {@code token_embd.weight}: the vocabulary size every architecture's config is built with. */
    static int vocabularyRows(GgufFile f) {
        GgufTensorInfo emb = f.tensorInfo("token_embd.weight")
                .orElseThrow(() -> new ModelFormatException(f.path(), "missing tensor 'token_embd.weight'"));
        long[] shape = emb.shape();
        if (shape.length != 2 || shape[1] > LlamaConfig.MAX_VOCAB) {
            throw new ModelFormatException(f.path(), "tensor 'token_embd.weight' has an absurd shape "
                    + java.util.Arrays.toString(shape));
        }
        return (int) shape[1];
    }

    static void checkTokenizer(GgufFile f, Tokenizer tokenizer, int vocabSize) {
        if (tokenizer.vocabularySize() > vocabSize) {
            throw new ModelFormatException(f.path(), "tokenizer has " + tokenizer.vocabularySize()
                    + " tokens but token_embd.weight only " + vocabSize + " rows");
        }
    }

    @Override
    public String architecture() {
        return config.architecture();
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int contextLength() {
        return config.contextLength();
    }

    @Override
    public List<Tensor> matrices() {
        return weights.matrices();
    }

    @Override
    public Tensor tokenEmbedding() {
        return weights.tokenEmbedding();
    }

    @Override
    public long weightBytesPerToken() {
        return WeightStats.bytes(weights.matrices()) + weights.tokenEmbedding().rowBytes();
    }

    @Override
    public String weightsDescription() {
        return WeightStats.dominantTypeName(weights.matrices()) + " weights";
    }

    @Override
    public Transformer forwardPass(Kernels kernels, int contextLength, int maxBatch) {
        return new Transformer(this, kernels, contextLength, maxBatch);
    }
}
