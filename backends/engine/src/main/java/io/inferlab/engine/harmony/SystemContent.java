package io.inferlab.engine.harmony;

import java.util.List;

import io.inferlab.api.ChatMessage;
import io.inferlab.api.ReasoningEffort;

/**
 * The harmony system message: the model's identity, dates, reasoning level and valid channels
 * (the developer message, not this one, carries what other formats call the system prompt).
 * Rendered as the harmony guide's example:
 * <pre>
 * You are ChatGPT, a large language model trained by OpenAI.
 * Knowledge cutoff: 2024-06
 * Current date: 2025-06-28
 *
 * Reasoning: high
 *
 * # Valid channels: analysis, commentary, final. Channel must be included for every message.
 * Calls to these tools must go to the commentary channel: 'functions'.
 * </pre>
 * Absent fields leave their line out; the last line appears when function tools are declared.
 */
public record SystemContent(String modelIdentity, String knowledgeCutoff, String currentDate,
                            ReasoningEffort reasoning, List<String> channels) {
    /** The identity the guide says to keep (change behaviour through the developer message instead). */
    public static final String DEFAULT_IDENTITY = "You are ChatGPT, a large language model trained by OpenAI.";
    public static final String DEFAULT_KNOWLEDGE_CUTOFF = "2024-06";
    public static final List<String> DEFAULT_CHANNELS = List.of(ChatMessage.ANALYSIS, ChatMessage.COMMENTARY, ChatMessage.FINAL);

    public SystemContent {
        reasoning = reasoning == null ? ReasoningEffort.MEDIUM : reasoning;
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    /** The guide's recommended system message at {@code reasoning}, without a current date. */
    public static SystemContent defaults(ReasoningEffort reasoning) {
        return new SystemContent(DEFAULT_IDENTITY, DEFAULT_KNOWLEDGE_CUTOFF, null, reasoning, DEFAULT_CHANNELS);
    }

    public SystemContent withCurrentDate(String date) {
        return new SystemContent(modelIdentity, knowledgeCutoff, date, reasoning, channels);
    }

    /** The message text; {@code functionTools} adds the line sending function calls to commentary. */
    public String render(boolean functionTools) {
        StringBuilder head = new StringBuilder();
        line(head, modelIdentity, "");
        line(head, knowledgeCutoff, "Knowledge cutoff: ");
        line(head, currentDate, "Current date: ");
        StringBuilder out = new StringBuilder();
        if (!head.isEmpty()) {
            out.append(head).append("\n\n");
        }
        out.append("Reasoning: ").append(reasoning.wireName());
        if (!channels.isEmpty()) {
            out.append("\n\n# Valid channels: ").append(String.join(", ", channels))
                    .append(". Channel must be included for every message.");
            if (functionTools) {
                out.append("\nCalls to these tools must go to the commentary channel: 'functions'.");
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder sb, String value, String label) {
        if (value != null && !value.isEmpty()) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(label).append(value);
        }
    }
}
