package io.inferlab.reports.roofline;

import io.inferlab.reports.jmh.BenchmarkKey;

/**
 * A decode result against the memory-bandwidth roofline: decoding one token reads every weight
 * once, so tokens/s cannot exceed read bandwidth / weight bytes read per token.
 */
public record RooflinePoint(BenchmarkKey key, double tokensPerSecond, double rooflineTokensPerSecond) {
    /** The share of the roofline reached (0.8 = 80%). */
    public double efficiency() {
        return tokensPerSecond / rooflineTokensPerSecond;
    }
}
