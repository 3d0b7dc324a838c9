package io.inferlab.api;

import java.util.Arrays;

/**
 * Timings of one generation, in nanoseconds, with vLLM's metric names.
 *
 * @param promptTokens   tokens in the prompt (prefill length)
 * @param prefillNs      time to run the prompt through the model (until its logits exist)
 * @param ttftNs         time to first token: from the start of the request until the first new
 *                       token was sampled (prefill + first sampling + tokenization)
 * @param itlNs          inter-token latencies: gaps between consecutive generated tokens (one fewer
 *                       than the generated tokens)
 * @param e2eNs          end-to-end latency of the request (E2EL)
 */
public record GenerationTimings(int promptTokens, long prefillNs, long ttftNs, long[] itlNs, long e2eNs) {
    public GenerationTimings {
        itlNs = itlNs.clone();
    }

    @Override
    public long[] itlNs() {
        return itlNs.clone();
    }

    /** Generated tokens covered by these timings: the first token plus one per inter-token gap. */
    public int generatedTokens() {
        return ttftNs > 0 || itlNs.length > 0 ? itlNs.length + 1 : 0;
    }

    /** TPOT: mean time per output token after the first (0 with fewer than two tokens). */
    public double tpotNs() {
        return itlNs.length == 0 ? 0 : Arrays.stream(itlNs).average().orElse(0);
    }

    /** Prompt tokens per second of prefill. */
    public double prefillTokensPerSecond() {
        return prefillNs <= 0 ? 0 : promptTokens * 1e9 / prefillNs;
    }

    /** Decode tokens per second: tokens after the first over the time they took. */
    public double decodeTokensPerSecond() {
        long total = Arrays.stream(itlNs).sum();
        return total <= 0 ? 0 : itlNs.length * 1e9 / total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationTimings t && promptTokens == t.promptTokens && prefillNs == t.prefillNs
                && ttftNs == t.ttftNs && e2eNs == t.e2eNs && Arrays.equals(itlNs, t.itlNs);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ttftNs) * 31 + Arrays.hashCode(itlNs);
    }

    @Override
    public String toString() {
        return "GenerationTimings[promptTokens=%d, prefillNs=%d, ttftNs=%d, itl=%d gaps, e2eNs=%d]"
                .formatted(promptTokens, prefillNs, ttftNs, itlNs.length, e2eNs);
    }
}
