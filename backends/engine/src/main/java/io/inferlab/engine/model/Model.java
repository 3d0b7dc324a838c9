package io.inferlab.engine.model;

import java.util.List;

import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.tensor.Tensor;
import io.inferlab.engine.tokenizer.Tokenizer;

/**
 * A model loaded from a GGUF file, whatever its architecture: the facts the runtime reports, its
 * tokenizer and prompt rules, and a factory for its {@link ForwardPass}. {@link Models#load}
 * picks the implementation from {@code general.architecture}.
 */
public interface Model {

    /** {@code general.architecture}, e.g. {@code llama} or {@code gpt-oss}. */
    String architecture();

    /** Rows of the token embedding (and of the output). */
    int vocabSize();

    /** The context the model was trained for (the KV cache may be shorter). */
    int contextLength();

    Tokenizer tokenizer();

    /** Tokens of a plain-text prompt, with the architecture's BOS rule and no special-token parsing. */
    default int[] encodePrompt(String text) {
        return tokenizer().encodePrompt(text);
    }

    /** Whether sampling {@code token} ends a generation. */
    default boolean isEndOfGeneration(int token) {
        return tokenizer().isEndOfGeneration(token);
    }

    /** Every matrix the forward pass multiplies by, once (a tied output counted once). */
    List<Tensor> matrices();

    /** The token embedding, which the forward pass only looks rows up in (it is also a matrix when tied as output). */
    Tensor tokenEmbedding();

    /**
     * Weight bytes one decode step reads: every matrix used for a token plus one embedding row
     * (for a mixture of experts, only the experts a token uses): the roofline's numerator.
     */
    long weightBytesPerToken();

    /** The weights' formats for a compute-mode label, e.g. "q8_0 weights" or "f32 weights, mxfp4 experts". */
    String weightsDescription();

    /** A forward pass with its own KV cache of {@code contextLength} positions, on {@code kernels}. */
    ForwardPass forwardPass(Kernels kernels, int contextLength, int maxBatch);
}
