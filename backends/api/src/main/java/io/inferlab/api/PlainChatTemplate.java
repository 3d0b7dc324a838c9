package io.inferlab.api;

import java.util.List;

/**
 * The chat format of models without one of their own: the conversation as labelled paragraphs
 * ({@code System: ...}, {@code User: ...}, {@code Assistant: ...}) ending with {@code Assistant:},
 * the model's reply cut where it starts a new {@code User:} turn. Any backend can run it through
 * {@link InferenceBackend#generate}; it is {@link InferenceBackend#chat}'s default.
 */
public final class PlainChatTemplate {
    public static final String FORMAT = "plain";
    private static final String NEXT_TURN = "\nUser:";

    private PlainChatTemplate() {
    }

    /** The prompt text for {@code messages}. */
    public static String render(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            String label = switch (m.role()) {
                case SYSTEM, DEVELOPER -> "System";
                case USER -> "User";
                case ASSISTANT -> "Assistant";
                case TOOL -> "Tool " + m.name();
            };
            sb.append(label).append(": ").append(m.content()).append("\n\n");
        }
        return sb.append("Assistant:").toString();
    }

    /** Renders, generates and cuts the reply at the next user turn. */
    public static ChatResult chat(InferenceBackend backend, ChatRequest request, TokenListener listener) {
        GenerationResult g = backend.generate(request.toGeneration(render(request.messages())), listener);
        String reply = g.text();
        int cut = reply.indexOf(NEXT_TURN);
        reply = (cut >= 0 ? reply.substring(0, cut) : reply).strip();
        return new ChatResult(FORMAT, List.of(ChatMessage.assistant(reply)), reply, "", g.tokens().length, 0, g);
    }
}
