package io.inferlab.engine.harmony;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.inferlab.api.ChatMessage;
import io.inferlab.api.ChatRequest;
import io.inferlab.api.ChatResult;
import io.inferlab.api.ChatRole;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.TokenListener;

/**
 * A chat turn in harmony on any backend that generates from token ids: the request becomes a
 * harmony conversation, the backend generates until {@code <|return|>} or {@code <|call|>}, and
 * the tokens are parsed back into messages by channel.
 */
public final class HarmonyChat {
    public static final String FORMAT = "harmony";

    private HarmonyChat() {
    }

    /**
     * The harmony conversation for a request: the system message with the request's reasoning
     * level (medium by default), a developer message whose instructions are the request's
     * system and developer messages (harmony's developer message is what other formats call the
     * system prompt), then the other messages in order.
     */
    public static Conversation conversation(ChatRequest request) {
        List<String> instructions = new ArrayList<>();
        List<ChatMessage> rest = new ArrayList<>();
        for (ChatMessage m : request.messages()) {
            if (m.role() == ChatRole.SYSTEM || m.role() == ChatRole.DEVELOPER) {
                instructions.add(m.content());
            } else {
                rest.add(m);
            }
        }
        DeveloperContent developer = instructions.isEmpty() ? null
                : DeveloperContent.instructions(String.join("\n\n", instructions));
        return Conversation.of(SystemContent.defaults(request.reasoning()), developer, rest);
    }

    public static ChatResult chat(InferenceBackend backend, HarmonyEncoding harmony, ChatRequest request,
                                  TokenListener listener) {
        int[] prompt = harmony.renderForCompletion(conversation(request), ChatRole.ASSISTANT);
        GenerationResult g = backend.generate(request.toGeneration(prompt), listener);
        HarmonyParser parser = harmony.parser(ChatRole.ASSISTANT);
        for (int t : g.tokens()) {
            parser.process(t);
        }
        List<ChatMessage> messages = parser.allMessages();
        return new ChatResult(FORMAT, messages, contentOf(messages, ChatMessage.FINAL), contentOf(messages, ChatMessage.ANALYSIS),
                parser.contentTokens(ChatMessage.FINAL), parser.contentTokens(ChatMessage.ANALYSIS), g);
    }

    /** The contents of the messages on {@code channel}, one paragraph each. */
    private static String contentOf(List<ChatMessage> messages, String channel) {
        return messages.stream().filter(m -> channel.equals(m.channel())).map(ChatMessage::content)
                .collect(Collectors.joining("\n\n"));
    }
}
