package io.inferlab.api;

import java.time.Duration;
import java.util.Objects;

/**
 * One generation: a text prompt (tokenized by the backend, with the model's BOS rule), how many
 * tokens at most, how to sample, and when to give up.
 *
 * @param timeout       wall-clock limit for the whole request (null = none)
 * @param stopAtEos     end at the model's end-of-sequence token (benchmarks turn it off to get a fixed length)
 * @param cancellation  lets another thread stop the generation (null = not cancellable)
 */
public record GenerationRequest(String prompt, int maxTokens, SamplingParams sampling, Duration timeout,
                                boolean stopAtEos, CancellationToken cancellation) {
    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sampling, "sampling");
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    public static GenerationRequest greedy(String prompt, int maxTokens) {
        return new GenerationRequest(prompt, maxTokens, SamplingParams.greedy(), null, true, null);
    }

    public GenerationRequest withSampling(SamplingParams s) {
        return new GenerationRequest(prompt, maxTokens, s, timeout, stopAtEos, cancellation);
    }

    public GenerationRequest withTimeout(Duration t) {
        return new GenerationRequest(prompt, maxTokens, sampling, t, stopAtEos, cancellation);
    }

    public GenerationRequest withStopAtEos(boolean stop) {
        return new GenerationRequest(prompt, maxTokens, sampling, timeout, stop, cancellation);
    }

    public GenerationRequest withCancellation(CancellationToken c) {
        return new GenerationRequest(prompt, maxTokens, sampling, timeout, stopAtEos, c);
    }
}
