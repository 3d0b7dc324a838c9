package io.inferlab.engine.model;

import io.inferlab.api.ModelFormatException;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.gguf.GgufTensorInfo;
import io.inferlab.engine.tokenizer.Tokenizer;
import io.inferlab.engine.tokenizer.Tokenizers;

/** A llama model read from a GGUF file: config, weights (mapped, not copied) and tokenizer. */
public record LlamaModel(GgufFile file, LlamaConfig config, LlamaWeights weights, Tokenizer tokenizer) {

    /**
     * Reads the model's metadata, weights and tokenizer from an open file.
     *
     * @throws ModelFormatException naming the key or tensor when something is missing or inconsistent
     */
    public static LlamaModel load(GgufFile f) {
        GgufTensorInfo emb = f.tensorInfo("token_embd.weight")
                .orElseThrow(() -> new ModelFormatException(f.path(), "missing tensor 'token_embd.weight'"));
        long[] shape = emb.shape();
        if (shape.length != 2 || shape[1] > LlamaConfig.MAX_VOCAB) {
            throw new ModelFormatException(f.path(), "tensor 'token_embd.weight' has an absurd shape "
                    + java.util.Arrays.toString(shape));
        }
        LlamaConfig config = LlamaConfig.from(f.metadata(), (int) shape[1]);
        LlamaWeights weights = LlamaWeights.from(f, config);
        Tokenizer tokenizer = Tokenizers.fromMetadata(f.metadata());
        if (tokenizer.vocabularySize() > config.vocabSize()) {
            throw new ModelFormatException(f.path(), "tokenizer has " + tokenizer.vocabularySize()
                    + " tokens but token_embd.weight only " + config.vocabSize() + " rows");
        }
        return new LlamaModel(f, config, weights, tokenizer);
    }
}
