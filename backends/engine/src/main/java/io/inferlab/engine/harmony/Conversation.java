package io.inferlab.engine.harmony;

import java.util.ArrayList;
import java.util.List;

import io.inferlab.api.ChatMessage;

/** The messages of a harmony conversation, in order. */
public record Conversation(List<ChatMessage> messages) {
    public Conversation {
        messages = List.copyOf(messages);
    }

    public static Conversation of(ChatMessage... messages) {
        return new Conversation(List.of(messages));
    }

    /**
     * A conversation that opens with a system message (if {@code system} is non-null) and a
     * developer message (if {@code developer} is non-null), then {@code messages}. The system
     * message routes function calls to commentary when the developer message declares tools.
     */
    public static Conversation of(SystemContent system, DeveloperContent developer, List<ChatMessage> messages) {
        List<ChatMessage> all = new ArrayList<>();
        if (system != null) {
            all.add(ChatMessage.system(system.render(developer != null && developer.hasTools())));
        }
        if (developer != null) {
            all.add(ChatMessage.developer(developer.render()));
        }
        all.addAll(messages);
        return new Conversation(all);
    }
}
