package io.inferlab.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One chat turn: the conversation so far, and how to generate the assistant's reply. The backend
 * renders it with the model's chat format (harmony for gpt-oss, a plain template otherwise).
 *
 * @param reasoning    for reasoning models (gpt-oss); null = the model's default
 * @param timeout      wall-clock limit (null = none)
 * @param cancellation lets another thread stop the generation (null = not cancellable)
 */
public record ChatRequest(List<ChatMessage> messages, ReasoningEffort reasoning, int maxTokens, SamplingParams sampling,
                          Duration timeout, CancellationToken cancellation) {
    public ChatRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        Objects.requireNonNull(sampling, "sampling");
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** Greedy, no timeout, the model's default reasoning. */
    public static ChatRequest of(List<ChatMessage> messages, int maxTokens) {
        return new ChatRequest(messages, null, maxTokens, SamplingParams.greedy(), null, null);
    }

    public ChatRequest withReasoning(ReasoningEffort r) {
        return new ChatRequest(messages, r, maxTokens, sampling, timeout, cancellation);
    }

    public ChatRequest withSampling(SamplingParams s) {
        return new ChatRequest(messages, reasoning, maxTokens, s, timeout, cancellation);
    }

    public ChatRequest withTimeout(Duration t) {
        return new ChatRequest(messages, reasoning, maxTokens, sampling, t, cancellation);
    }

    public ChatRequest withCancellation(CancellationToken c) {
        return new ChatRequest(messages, reasoning, maxTokens, sampling, timeout, c);
    }

    /** A generation of at most {@link #maxTokens()} after {@code promptTokens}, with this request's sampling and limits. */
    public GenerationRequest toGeneration(int[] promptTokens) {
        return GenerationRequest.ofTokens(promptTokens, maxTokens).withSampling(sampling).withTimeout(timeout)
                .withCancellation(cancellation);
    }

    /** {@link #toGeneration(int[])} for a text prompt the backend tokenizes. */
    public GenerationRequest toGeneration(String prompt) {
        return GenerationRequest.greedy(prompt, maxTokens).withSampling(sampling).withTimeout(timeout)
                .withCancellation(cancellation);
    }
}
