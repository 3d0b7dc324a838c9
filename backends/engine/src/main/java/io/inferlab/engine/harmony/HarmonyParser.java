package io.inferlab.engine.harmony;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.inferlab.api.ChatMessage;
import io.inferlab.api.ChatRole;
import io.inferlab.engine.tokenizer.Tokenizer;

/**
 * Parses generated tokens into harmony messages as they arrive. A completion starts inside the
 * header of the role it was prompted with ({@code <|start|>assistant} ends the prompt); then
 * {@code <|message|>} ends a header, {@code <|end|>} a message, and {@code <|return|>} or {@code
 * <|call|>} the turn (the parser stops and ignores anything after). A stream cut anywhere leaves
 * the unfinished message in {@link #current()}.
 *
 * <p>Header text is read leniently, as the harmony guide allows: the recipient ({@code to=...})
 * may stand in the role part or the channel part, and words after the channel that are neither
 * a recipient nor the channel form the content type ({@code <|constrain|>json}). Tokens between
 * messages other than {@code <|start|>} (a model that breaks the format) are counted and dropped.
 */
public final class HarmonyParser {
    private enum State { HEADER, CONTENT, BETWEEN, STOPPED }

    private final HarmonyEncoding enc;
    private final List<ChatMessage> messages = new ArrayList<>();
    private final Map<String, Integer> contentTokens = new HashMap<>();
    private final List<Integer> headerTokens = new ArrayList<>();
    private final StringBuilder content = new StringBuilder();
    private Tokenizer.StreamingDecoder decoder;
    private State state;
    private ChatRole implicitRole;
    private ChatMessage header;
    private String lastDelta = "";
    private int stopToken = -1;
    private int ignored;

    HarmonyParser(HarmonyEncoding enc, ChatRole role) {
        this.enc = enc;
        this.implicitRole = role;
        this.state = role == null ? State.BETWEEN : State.HEADER;
        this.decoder = enc.tokenizer().streamingDecoder(false);
    }

    /** Feeds one generated token. */
    public void process(int token) {
        lastDelta = "";
        switch (state) {
            case STOPPED -> ignored++;
            case BETWEEN -> {
                if (token == enc.start) {
                    beginHeader(null);
                } else {
                    ignored++;
                }
            }
            case HEADER -> {
                if (token == enc.message) {
                    header = parseHeader(headerText(), implicitRole);
                    state = State.CONTENT;
                } else if (token == enc.start) {
                    beginHeader(null); // a header that never got content: dropped
                } else if (token == enc.end || enc.isStopToken(token)) {
                    header = parseHeader(headerText(), implicitRole);
                    finish(token);
                } else {
                    headerTokens.add(token);
                }
            }
            case CONTENT -> {
                if (token == enc.end || enc.isStopToken(token)) {
                    finish(token);
                } else if (token == enc.start) {
                    finish(token); // a new message without <|end|>: close the open one
                    beginHeader(null);
                } else {
                    lastDelta = decoder.next(token);
                    content.append(lastDelta);
                    contentTokens.merge(channelKey(header.channel()), 1, Integer::sum);
                }
            }
        }
    }

    private void beginHeader(ChatRole role) {
        implicitRole = role;
        headerTokens.clear();
        header = null;
        state = State.HEADER;
    }

    private void finish(int token) {
        content.append(decoder.finish());
        messages.add(header.withContent(content.toString()));
        content.setLength(0);
        header = null;
        headerTokens.clear();
        if (enc.isStopToken(token)) {
            stopToken = token;
            state = State.STOPPED;
        } else {
            state = State.BETWEEN;
        }
    }

    private String headerText() {
        return enc.tokenizer().decode(headerTokens.stream().mapToInt(Integer::intValue).toArray(), true);
    }

    /** Author, channel, recipient and content type from a header's text (special tokens spelled out). */
    static ChatMessage parseHeader(String text, ChatRole implicitRole) {
        String spaced = text.replace(HarmonyEncoding.CONSTRAIN, " " + HarmonyEncoding.CONSTRAIN);
        int c = spaced.indexOf(HarmonyEncoding.CHANNEL);
        String rolePart = c < 0 ? spaced : spaced.substring(0, c);
        String channelPart = c < 0 ? null : spaced.substring(c + HarmonyEncoding.CHANNEL.length());
        List<String> words = new ArrayList<>(List.of(rolePart.trim().split("\\s+")));
        words.removeIf(String::isEmpty);
        ChatRole role = implicitRole;
        String name = null;
        if (role == null) {
            String author = words.isEmpty() ? ChatRole.ASSISTANT.wireName() : words.removeFirst();
            role = ChatRole.fromWireName(author).orElse(ChatRole.TOOL);
            name = role == ChatRole.TOOL ? author : null;
        }
        String channel = null;
        if (channelPart != null) {
            List<String> cw = new ArrayList<>(List.of(channelPart.trim().split("\\s+")));
            cw.removeIf(String::isEmpty);
            if (!cw.isEmpty() && !cw.getFirst().startsWith("to=")) {
                channel = cw.removeFirst();
            }
            words.addAll(cw);
        }
        String recipient = null;
        List<String> type = new ArrayList<>();
        for (String w : words) {
            if (w.startsWith("to=") && w.length() > 3) {
                recipient = w.substring(3);
            } else {
                type.add(w);
            }
        }
        return new ChatMessage(role, name, channel, recipient, type.isEmpty() ? null : String.join(" ", type), "");
    }

    private static String channelKey(String channel) {
        return channel == null ? "" : channel;
    }

    /** The completed messages so far. */
    public List<ChatMessage> messages() {
        return List.copyOf(messages);
    }

    /** The message in progress (its header as far as read, its content so far), if any. */
    public Optional<ChatMessage> current() {
        return switch (state) {
            case HEADER -> headerTokens.isEmpty() ? Optional.empty() : Optional.of(parseHeader(headerText(), implicitRole));
            case CONTENT -> Optional.of(header.withContent(content.toString()));
            case BETWEEN, STOPPED -> Optional.empty();
        };
    }

    /** Completed messages and the one in progress. */
    public List<ChatMessage> allMessages() {
        List<ChatMessage> all = new ArrayList<>(messages);
        current().ifPresent(all::add);
        return all;
    }

    /** The text the last {@link #process} call added to a message's content ("" for header and control tokens). */
    public String lastContentDelta() {
        return lastDelta;
    }

    /** The channel of the message whose content is being read, or null. */
    public String currentChannel() {
        return state == State.CONTENT ? header.channel() : null;
    }

    /** Whether {@code <|return|>} or {@code <|call|>} ended the turn. */
    public boolean isStopped() {
        return state == State.STOPPED;
    }

    /** The token that ended the turn, or -1. */
    public int stopToken() {
        return stopToken;
    }

    /** Content tokens read on {@code channel} (null: messages without a channel), over all messages. */
    public int contentTokens(String channel) {
        return contentTokens.getOrDefault(channelKey(channel), 0);
    }

    /** Tokens that fell outside any message (a model breaking the format) or came after the turn ended. */
    public int ignoredTokens() {
        return ignored;
    }
}
