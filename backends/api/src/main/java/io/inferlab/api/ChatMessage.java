package io.inferlab.api;

import java.util.Objects;

/**
 * One chat message. Plain chat formats use only the role and the content; channel formats
 * (gpt-oss's harmony) also the channel, the recipient of a tool call and its content type.
 *
 * @param name        the author's name where it stands for the role: a tool's name such as
 *                    {@code functions.get_weather} for {@link ChatRole#TOOL}; else null
 * @param channel     {@code analysis} (chain of thought), {@code commentary} (tool calls,
 *                    preambles), {@code final} (the answer), or null for none
 * @param recipient   whom the message is for, e.g. {@code functions.get_weather}; null for none
 * @param contentType the content's type as the format writes it, e.g. {@code <|constrain|>json}; null for none
 */
public record ChatMessage(ChatRole role, String name, String channel, String recipient, String contentType,
                          String content) {
    public static final String ANALYSIS = "analysis";
    public static final String COMMENTARY = "commentary";
    public static final String FINAL = "final";
    /** Harmony's content type of JSON tool-call arguments. */
    public static final String JSON = "<|constrain|>json";

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (role == ChatRole.TOOL && (name == null || name.isBlank())) {
            throw new IllegalArgumentException("a tool message needs the tool's name as its author");
        }
        for (String part : new String[] {name, channel, recipient}) {
            if (part != null && (part.isEmpty() || part.chars().anyMatch(Character::isWhitespace))) {
                throw new IllegalArgumentException("header field '" + part + "' must be one word");
            }
        }
    }

    public static ChatMessage system(String text) {
        return new ChatMessage(ChatRole.SYSTEM, null, null, null, null, text);
    }

    public static ChatMessage developer(String text) {
        return new ChatMessage(ChatRole.DEVELOPER, null, null, null, null, text);
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(ChatRole.USER, null, null, null, null, text);
    }

    /** An assistant message without a channel (plain formats). */
    public static ChatMessage assistant(String text) {
        return new ChatMessage(ChatRole.ASSISTANT, null, null, null, null, text);
    }

    /** An assistant message on a channel ({@link #ANALYSIS}, {@link #COMMENTARY}, {@link #FINAL}). */
    public static ChatMessage assistant(String channel, String text) {
        return new ChatMessage(ChatRole.ASSISTANT, null, channel, null, null, text);
    }

    /** An assistant tool call: JSON {@code arguments} to {@code recipient} on the commentary channel. */
    public static ChatMessage toolCall(String recipient, String arguments) {
        return new ChatMessage(ChatRole.ASSISTANT, null, COMMENTARY, recipient, JSON, arguments);
    }

    /** A tool's answer to the assistant, on the commentary channel. */
    public static ChatMessage toolResult(String toolName, String output) {
        return new ChatMessage(ChatRole.TOOL, toolName, COMMENTARY, ChatRole.ASSISTANT.wireName(), null, output);
    }

    /** Whether this is an assistant message addressed to a tool. */
    public boolean isToolCall() {
        return role == ChatRole.ASSISTANT && recipient != null && !recipient.equals(ChatRole.ASSISTANT.wireName());
    }

    public ChatMessage withContent(String text) {
        return new ChatMessage(role, name, channel, recipient, contentType, text);
    }
}
