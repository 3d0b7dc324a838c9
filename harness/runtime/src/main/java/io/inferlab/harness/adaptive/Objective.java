package io.inferlab.harness.adaptive;

import java.util.Locale;

/** What the selector optimizes: decode tokens/s, TTFT then TPOT, or both weighted equally. */
public enum Objective {
    THROUGHPUT, LATENCY, BALANCED;

    /** Parses a command-line or config value ("throughput", "latency", "balanced"). */
    public static Objective parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AdaptiveConfigException("objective '" + s + "' is not one of throughput, latency, balanced");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
