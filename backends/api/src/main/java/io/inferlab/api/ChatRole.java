package io.inferlab.api;

import java.util.Locale;
import java.util.Optional;

/**
 * Who wrote a chat message, highest authority first. {@link #SYSTEM} is the caller's system
 * prompt (formats with a separate meta message, such as gpt-oss's harmony, carry it as their
 * developer instructions); {@link #TOOL} messages carry a tool's answer under the tool's name.
 */
public enum ChatRole {
    SYSTEM, DEVELOPER, USER, ASSISTANT, TOOL;

    /** Lower case, as chat formats write it: {@code assistant}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role spelled {@code name} (lower case), other than {@link #TOOL}, whose messages carry a tool's name. */
    public static Optional<ChatRole> fromWireName(String name) {
        for (ChatRole r : values()) {
            if (r != TOOL && r.wireName().equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
