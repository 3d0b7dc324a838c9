package io.inferlab.harness.bench;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One llama-bench-style test result.
 *
 * @param test                 llama-bench's name: {@code ppN} (prefill N tokens) or {@code tgN} (generate N)
 * @param tokensPerSecondMean  mean over repetitions
 * @param tokensPerSecondStdev sample standard deviation over repetitions
 * @param samples              tokens/s of each repetition
 * @param bandwidthSamples     read bandwidth (bytes/s) measured around each repetition, the
 *                             roofline's numerator (tg only; empty for pp)
 * @param weightBytesPerToken  weight bytes one decoded token reads, the roofline's denominator
 */
public record BenchResult(String model, String backend, String computeMode, int threads, String test, int tokens,
                          double tokensPerSecondMean, double tokensPerSecondStdev, double[] samples,
                          double[] bandwidthSamples, long weightBytesPerToken) {

    /** Mean of the repetitions' decode ceilings (bandwidth / bytes per token), tokens/s; 0 without a roofline. */
    @JsonProperty("rooflineTokensPerSecond")
    public double rooflineTokensPerSecond() {
        return hasRoofline() ? Arrays.stream(bandwidthSamples).average().orElse(0) / weightBytesPerToken : 0;
    }

    /**
     * Fraction of the roofline reached: the mean over repetitions of each one's tokens/s over its
     * own ceiling, so that a repetition is compared with the bandwidth of its own minutes (0
     * without a roofline).
     */
    @JsonProperty("rooflineEfficiency")
    public double rooflineEfficiency() {
        if (!hasRoofline()) {
            return 0;
        }
        double sum = 0;
        for (int r = 0; r < samples.length; r++) {
            sum += samples[r] / (bandwidthSamples[r] / weightBytesPerToken);
        }
        return sum / samples.length;
    }

    private boolean hasRoofline() {
        return weightBytesPerToken > 0 && samples.length > 0 && bandwidthSamples.length == samples.length
                && Arrays.stream(bandwidthSamples).allMatch(b -> b > 0);
    }
}
