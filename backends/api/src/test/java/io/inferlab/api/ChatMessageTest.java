package io.inferlab.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Chat messages and requests: validation, tool calls, and the plain template's rendering. */
class ChatMessageTest {

    @Test
    void toolCallsAndResults() {
        ChatMessage call = ChatMessage.toolCall("functions.get_weather", "{\"location\":\"Tokyo\"}");
        assertTrue(call.isToolCall());
        assertEquals(ChatMessage.COMMENTARY, call.channel());
        assertEquals(ChatMessage.JSON, call.contentType());
        ChatMessage result = ChatMessage.toolResult("functions.get_weather", "{\"sunny\": true}");
        assertEquals(ChatRole.TOOL, result.role());
        assertEquals("assistant", result.recipient());
        assertFalse(result.isToolCall());
        assertFalse(ChatMessage.assistant(ChatMessage.FINAL, "4").isToolCall());
        assertEquals("x", ChatMessage.user("y").withContent("x").content());
    }

    @Test
    void rejectsMalformedMessages() {
        assertThrows(IllegalArgumentException.class, () -> new ChatMessage(ChatRole.TOOL, null, null, null, null, "out"));
        assertThrows(IllegalArgumentException.class, () -> ChatMessage.assistant("two words", "x"));
        assertThrows(IllegalArgumentException.class, () -> ChatMessage.toolCall("", "{}"));
        assertThrows(NullPointerException.class, () -> ChatMessage.user(null));
    }

    @Test
    void rolesHaveLowerCaseWireNames() {
        assertEquals("developer", ChatRole.DEVELOPER.wireName());
        assertEquals(ChatRole.USER, ChatRole.fromWireName("user").orElseThrow());
        assertTrue(ChatRole.fromWireName("tool").isEmpty(), "tools are named, not 'tool'");
        assertEquals("high", ReasoningEffort.HIGH.wireName());
    }

    @Test
    void requestsValidateAndCarryTheirLimits() {
        assertThrows(IllegalArgumentException.class, () -> ChatRequest.of(List.of(), 10));
        assertThrows(IllegalArgumentException.class, () -> ChatRequest.of(List.of(ChatMessage.user("hi")), -1));
        ChatRequest r = ChatRequest.of(List.of(ChatMessage.user("hi")), 7).withReasoning(ReasoningEffort.LOW)
                .withTimeout(Duration.ofSeconds(3));
        GenerationRequest g = r.toGeneration(new int[] {1, 2});
        assertEquals(7, g.maxTokens());
        assertEquals(Duration.ofSeconds(3), g.timeout());
        assertEquals(2, g.promptTokens().length);
        assertEquals(ReasoningEffort.LOW, r.reasoning());
    }

    @Test
    void plainTemplateLabelsTurns() {
        assertEquals("System: Be brief.\n\nUser: Hi\n\nAssistant: Hello\n\nTool functions.f: 42\n\nAssistant:",
                PlainChatTemplate.render(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"),
                        ChatMessage.assistant("Hello"), ChatMessage.toolResult("functions.f", "42"))));
    }
}
