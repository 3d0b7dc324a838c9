package io.inferlab.engine.harmony;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.inferlab.api.ChatMessage;
import io.inferlab.api.ChatRole;
import io.inferlab.engine.GptOssReference;
import io.inferlab.engine.SharedModels;

/** Harmony on the real o200k_harmony vocabulary of tiny-gpt-oss.gguf (skipped without ../shared/models). */
class HarmonyRealVocabularyTest {
    private static HarmonyEncoding harmony;

    @BeforeAll
    static void setUp() {
        harmony = HarmonyEncoding.of(SharedModels.tinyGptOssTokenizer());
    }

    /** The reference file's second prompt, reconstructed as a conversation, renders to llama.cpp's exact tokens. */
    @Test
    void rendersTheReferenceHarmonyPrompt() {
        GptOssReference.Prompt p = GptOssReference.load().get(1);
        assertEquals("<|start|>user<|message|>What is 2+2?<|end|><|start|>assistant", p.prompt());
        int[] tokens = harmony.renderForCompletion(Conversation.of(ChatMessage.user("What is 2+2?")), ChatRole.ASSISTANT);
        assertArrayEquals(p.promptTokens(), tokens);
    }

    /** The guide's published special-token ids. */
    @Test
    void specialTokenIds() {
        assertEquals(200006, harmony.start);
        assertEquals(200007, harmony.end);
        assertEquals(200008, harmony.message);
        assertEquals(200005, harmony.channel);
        assertEquals(200003, harmony.constrain);
        assertEquals(200002, harmony.returnToken);
        assertEquals(200012, harmony.call);
    }

    /** The guide's StreamableParser example tokens parse into its chain of thought and answer. */
    @Test
    void parsesTheGuidesStreamingExample() {
        int[] tokens = {200005, 35644, 200008, 1844, 31064, 25, 392, 4827, 382, 220, 17, 659, 220, 17, 16842, 12295, 81645,
            13, 51441, 6052, 13, 200007, 200006, 173781, 200005, 17196, 200008, 17, 659, 220, 17, 314, 220, 19, 13, 200002};
        HarmonyParser p = harmony.parser(ChatRole.ASSISTANT);
        for (int t : tokens) {
            p.process(t);
        }
        assertEquals(List.of(
                ChatMessage.assistant(ChatMessage.ANALYSIS, "User asks: \"What is 2 + 2?\" Simple arithmetic. Provide answer."),
                ChatMessage.assistant(ChatMessage.FINAL, "2 + 2 = 4.")), p.messages());
        assertTrue(p.isStopped());
        assertEquals(8, p.contentTokens(ChatMessage.FINAL)); // 17 659 220 17 314 220 19 13
        assertEquals(18, p.contentTokens(ChatMessage.ANALYSIS));
    }
}
