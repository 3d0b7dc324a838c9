package io.inferlab.api;

import java.time.Duration;
import java.util.Objects;

/**
 * One generation: a prompt, how many tokens at most, how to sample, and when to give up. The
 * prompt is text (tokenized by the backend with the model's BOS rule) or, for benchmarks that
 * need an exact length, token ids ({@code promptTokens} non-null; {@code prompt} is then ignored).
 *
 * @param timeout       wall-clock limit for the whole request (null = none)
 * @param stopAtEos     end at the model's end-of-sequence token (benchmarks turn it off to get a fixed length)
 * @param cancellation  lets another thread stop the generation (null = not cancellable)
 */
public record GenerationRequest(String prompt, int[] promptTokens, int maxTokens, SamplingParams sampling, Duration timeout,
                                boolean stopAtEos, CancellationToken cancellation) {
    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        promptTokens = promptTokens == null ? null : promptTokens.clone();
        Objects.requireNonNull(sampling, "sampling");
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    public static GenerationRequest greedy(String prompt, int maxTokens) {
        return new GenerationRequest(prompt, null, maxTokens, SamplingParams.greedy(), null, true, null);
    }

    /** A greedy request whose prompt is exactly these token ids (no BOS added). */
    public static GenerationRequest ofTokens(int[] promptTokens, int maxTokens) {
        Objects.requireNonNull(promptTokens, "promptTokens");
        return new GenerationRequest("", promptTokens, maxTokens, SamplingParams.greedy(), null, true, null);
    }

    @Override
    public int[] promptTokens() {
        return promptTokens == null ? null : promptTokens.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationRequest r && prompt.equals(r.prompt)
                && java.util.Arrays.equals(promptTokens, r.promptTokens) && maxTokens == r.maxTokens
                && sampling.equals(r.sampling) && Objects.equals(timeout, r.timeout) && stopAtEos == r.stopAtEos
                && cancellation == r.cancellation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(prompt, java.util.Arrays.hashCode(promptTokens), maxTokens, sampling, timeout, stopAtEos);
    }

    @Override
    public String toString() {
        return "GenerationRequest[prompt=" + (promptTokens != null ? promptTokens.length + " tokens" : prompt.length() + " chars")
                + ", maxTokens=" + maxTokens + ", sampling=" + sampling + ", timeout=" + timeout + ", stopAtEos=" + stopAtEos + "]";
    }

    public GenerationRequest withSampling(SamplingParams s) {
        return new GenerationRequest(prompt, promptTokens, maxTokens, s, timeout, stopAtEos, cancellation);
    }

    public GenerationRequest withTimeout(Duration t) {
        return new GenerationRequest(prompt, promptTokens, maxTokens, sampling, t, stopAtEos, cancellation);
    }

    public GenerationRequest withStopAtEos(boolean stop) {
        return new GenerationRequest(prompt, promptTokens, maxTokens, sampling, timeout, stop, cancellation);
    }

    public GenerationRequest withCancellation(CancellationToken c) {
        return new GenerationRequest(prompt, promptTokens, maxTokens, sampling, timeout, stopAtEos, c);
    }
}
