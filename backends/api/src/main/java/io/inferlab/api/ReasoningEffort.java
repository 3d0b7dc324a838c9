package io.inferlab.api;

import java.util.Locale;

/** How long a reasoning model (gpt-oss) should think before answering; it reasons at medium by default. */
public enum ReasoningEffort {
    LOW, MEDIUM, HIGH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
