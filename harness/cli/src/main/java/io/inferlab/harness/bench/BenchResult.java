package io.inferlab.harness.bench;

/**
 * One llama-bench-style test result.
 *
 * @param test                 llama-bench's name: {@code ppN} (prefill N tokens) or {@code tgN} (generate N)
 * @param tokensPerSecondMean  mean over repetitions
 * @param tokensPerSecondStdev sample standard deviation over repetitions
 * @param samples              tokens/s of each repetition
 * @param rooflineTokensPerSecond decode ceiling: measured bandwidth / weight bytes per token (tg only, else 0)
 */
public record BenchResult(String model, String backend, String computeMode, int threads, String test, int tokens,
                          double tokensPerSecondMean, double tokensPerSecondStdev, double[] samples,
                          double rooflineTokensPerSecond) {

    /** Fraction of the roofline reached (tg only). */
    public double rooflineEfficiency() {
        return rooflineTokensPerSecond > 0 ? tokensPerSecondMean / rooflineTokensPerSecond : 0;
    }
}
