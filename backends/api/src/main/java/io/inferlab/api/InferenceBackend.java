package io.inferlab.api;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A loaded model on one backend. Not thread-safe: one generation at a time. Closing frees host,
 * native and device memory; a backend that failed stays failed ({@link BackendFailedException}).
 */
public interface InferenceBackend extends AutoCloseable {

    /** The provider id ("cpu", "opencl", ...). */
    String id();

    AccelerationType acceleration();

    ModelInfo model();

    /** How the arithmetic is done, e.g. "q4_0 weights x f32 activations, f32 accumulate". */
    String computeMode();

    /** Tokens of {@code text} as the model's tokenizer encodes a prompt (BOS where the model wants it). */
    int[] encode(String text);

    /** Text of {@code tokens}, as generation would print it. */
    String decode(int[] tokens);

    /**
     * Generates a continuation of the request's prompt, streaming each token to {@code listener}
     * as it is sampled. Stops at EOS (when asked), max tokens, a full context, the timeout or a
     * cancellation, and says which.
     */
    GenerationResult generate(GenerationRequest request, TokenListener listener);

    /** {@link #generate} on {@code executor}; cancel through the request's {@link CancellationToken}. */
    default CompletableFuture<GenerationResult> generateAsync(GenerationRequest request, TokenListener listener,
                                                              Executor executor) {
        return CompletableFuture.supplyAsync(() -> generate(request, listener), executor);
    }

    /**
     * One chat turn: renders the conversation with the model's chat format, generates the
     * assistant's reply and parses it back into messages. The default is the
     * {@link PlainChatTemplate}; backends whose models have their own format (gpt-oss's harmony)
     * override it, so callers see the same request and result types everywhere.
     */
    default ChatResult chat(ChatRequest request, TokenListener listener) {
        return PlainChatTemplate.chat(this, request, listener);
    }

    /**
     * Logits for every position of {@code tokens}, run from an empty context: row i holds the
     * scores of the token that follows {@code tokens[0..i]}. Used to check backends against each
     * other; the CPU scalar path is the oracle.
     */
    float[][] logits(int[] tokens);

    /**
     * Bytes of accelerator memory this backend holds now (weights, KV cache, work buffers), where
     * the backend allocates device memory itself and knows the figure; empty for host backends
     * and where it is unknown (a child process, a driver that hides it). Benchmarks report it
     * as a secondary metric next to the host's heap and resident set.
     */
    default OptionalLong deviceMemoryBytes() {
        return OptionalLong.empty();
    }

    @Override
    void close();
}
