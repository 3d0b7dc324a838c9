package io.inferlab.harness.adaptive;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Limits that exclude a measured backend (null = no limit). A backend without a measurement is
 * never excluded by a threshold: there is nothing to compare, so it keeps its priority.
 */
public record Thresholds(@JsonProperty("min_decode_tokens_per_second") Double minDecodeTokensPerSecond,
                         @JsonProperty("max_ttft_ms") Double maxTtftMs) {
    public static final Thresholds NONE = new Thresholds(null, null);

    /** Why {@code m} fails these limits, or null when it passes. */
    public String violation(Measurement m) {
        if (minDecodeTokensPerSecond != null && m.decodeTokensPerSecond() != null
                && m.decodeTokensPerSecond() < minDecodeTokensPerSecond) {
            return String.format(java.util.Locale.ROOT, "decode %.1f tok/s is below the minimum %.1f",
                    m.decodeTokensPerSecond(), minDecodeTokensPerSecond);
        }
        if (maxTtftMs != null && m.ttftMs() != null && m.ttftMs() > maxTtftMs) {
            return String.format(java.util.Locale.ROOT, "TTFT %.1f ms is above the maximum %.1f ms", m.ttftMs(), maxTtftMs);
        }
        return null;
    }

    /** These limits with {@code other}'s set fields taking precedence. */
    public Thresholds overriddenBy(Thresholds other) {
        if (other == null) {
            return this;
        }
        return new Thresholds(other.minDecodeTokensPerSecond != null ? other.minDecodeTokensPerSecond : minDecodeTokensPerSecond,
                other.maxTtftMs != null ? other.maxTtftMs : maxTtftMs);
    }

    void validate(String where) {
        if (minDecodeTokensPerSecond != null && !(minDecodeTokensPerSecond >= 0)) {
            throw new AdaptiveConfigException(where + ".min_decode_tokens_per_second must be >= 0, got " + minDecodeTokensPerSecond);
        }
        if (maxTtftMs != null && !(maxTtftMs > 0)) {
            throw new AdaptiveConfigException(where + ".max_ttft_ms must be > 0, got " + maxTtftMs);
        }
    }
}
