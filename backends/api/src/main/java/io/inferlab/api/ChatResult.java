package io.inferlab.api;

import java.util.List;
import java.util.Objects;

/**
 * What a chat turn produced: the assistant's messages parsed from the generation (several for
 * harmony: chain of thought, tool calls, the answer), the answer and the chain of thought as
 * text with their token counts, and the underlying generation (tokens, stop reason, timings).
 *
 * @param format         the chat format used: {@code harmony} or {@code plain}
 * @param finalText      the content of the final channel (plain formats: the whole reply)
 * @param analysisText   the content of the analysis channel ("" where the format has none)
 * @param finalTokens    content tokens on the final channel
 * @param analysisTokens content tokens on the analysis channel
 */
public record ChatResult(String format, List<ChatMessage> messages, String finalText, String analysisText,
                         int finalTokens, int analysisTokens, GenerationResult generation) {
    public ChatResult {
        Objects.requireNonNull(format, "format");
        messages = List.copyOf(messages);
        Objects.requireNonNull(finalText, "finalText");
        Objects.requireNonNull(analysisText, "analysisText");
        Objects.requireNonNull(generation, "generation");
    }

    /** The assistant's tool calls, in order (empty when it answered). */
    public List<ChatMessage> toolCalls() {
        return messages.stream().filter(ChatMessage::isToolCall).toList();
    }
}
