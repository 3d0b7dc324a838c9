package io.inferlab.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a generation produced: the prompt's tokens, the generated tokens and their decoded text,
 * why it stopped, its timings, and the compute mode that produced it (so results compare like
 * with like, e.g. "q8_0 weights x f32 activations").
 */
public record GenerationResult(int[] promptTokens, int[] tokens, String text, StopReason stopReason,
                               GenerationTimings timings, String computeMode) {
    public GenerationResult {
        promptTokens = promptTokens.clone();
        tokens = tokens.clone();
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(timings, "timings");
        Objects.requireNonNull(computeMode, "computeMode");
    }

    @Override
    public int[] promptTokens() {
        return promptTokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationResult r && Arrays.equals(promptTokens, r.promptTokens)
                && Arrays.equals(tokens, r.tokens) && text.equals(r.text) && stopReason == r.stopReason
                && timings.equals(r.timings) && computeMode.equals(r.computeMode);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens) * 31 + text.hashCode();
    }

    @Override
    public String toString() {
        return "GenerationResult[promptTokens=%d, tokens=%d, stopReason=%s, computeMode=%s]"
                .formatted(promptTokens.length, tokens.length, stopReason, computeMode);
    }
}
