package io.inferlab.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.ChatMessage;
import io.inferlab.api.ChatRequest;
import io.inferlab.api.ChatResult;
import io.inferlab.api.ChatRole;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.PlainChatTemplate;
import io.inferlab.api.ReasoningEffort;
import io.inferlab.api.StopReason;
import io.inferlab.api.TokenListener;
import io.inferlab.engine.harmony.HarmonyChat;
import io.inferlab.engine.harmony.HarmonyEncoding;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.model.GptOssFixture;
import io.inferlab.engine.model.TinyLlamaFixture;

/** The chat API: harmony for gpt-oss (rendering, stop tokens, parsing), the plain template for llama. */
class EngineChatTest {
    @TempDir
    Path dir;

    private static EngineBackend open(Path model) {
        return EngineBackend.open("reference", AccelerationType.CPU, model, BackendOptions.defaults(), n -> new ScalarKernels());
    }

    /** The scripted model's single prediction, generated from a harmony prompt. */
    private ChatResult chatWith(String next, int maxTokens) {
        GptOssFixture fixture = new GptOssFixture().alwaysPredicts(next);
        try (EngineBackend b = open(fixture.write(dir.resolve(next.replaceAll("\\W", "") + ".gguf")))) {
            assertEquals("harmony", b.chatFormat());
            return b.chat(ChatRequest.of(List.of(ChatMessage.user("hello")), maxTokens), TokenListener.NONE);
        }
    }

    /** <|return|> and <|call|> end the turn; <|end|> (one message of several) does not. */
    @Test
    void harmonyStopsOnReturnAndCallButNotEnd() {
        GptOssFixture f = new GptOssFixture();
        for (String stop : List.of("<|return|>", "<|call|>")) {
            ChatResult r = chatWith(stop, 10);
            assertEquals(StopReason.EOS, r.generation().stopReason(), stop);
            assertArrayEquals(new int[] {f.tokenId(stop)}, r.generation().tokens(), stop);
            assertEquals(List.of(ChatMessage.assistant("")), r.messages(), stop);
        }
        ChatResult end = chatWith("<|end|>", 6);
        assertEquals(StopReason.MAX_TOKENS, end.generation().stopReason());
        assertEquals(6, end.generation().tokens().length);
    }

    /** The prompt is the harmony rendering: system message with the reasoning level, instructions as the developer message. */
    @Test
    void harmonyPromptAndParsedReply() {
        GptOssFixture fixture = new GptOssFixture();
        try (EngineBackend b = open(fixture.write(dir.resolve("oss.gguf")))) {
            ChatRequest request = new ChatRequest(List.of(ChatMessage.system("Be brief."), ChatMessage.user("hello")),
                    ReasoningEffort.HIGH, 12, io.inferlab.api.SamplingParams.greedy(), null, null);
            StringBuilder streamed = new StringBuilder();
            ChatResult r = b.chat(request, (t, piece) -> streamed.append(piece));
            HarmonyEncoding harmony = HarmonyEncoding.of(b.tokenizer());
            String prompt = harmony.tokenizer().decode(r.generation().promptTokens(), true);
            assertTrue(prompt.startsWith("<|start|>system<|message|>You are ChatGPT"), prompt);
            assertTrue(prompt.contains("Reasoning: high"), prompt);
            assertTrue(prompt.endsWith("<|start|>developer<|message|># Instructions\n\nBe brief.<|end|>"
                    + "<|start|>user<|message|>hello<|end|><|start|>assistant"), prompt);
            assertArrayEquals(harmony.renderForCompletion(HarmonyChat.conversation(request), ChatRole.ASSISTANT),
                    r.generation().promptTokens());
            // Whatever the random model wrote, the result is its parse.
            assertEquals(harmony.parse(r.generation().tokens(), ChatRole.ASSISTANT), r.messages());
            assertTrue(r.finalTokens() + r.analysisTokens() <= r.generation().tokens().length);
            assertEquals(r.generation().text(), streamed.toString());
        }
    }

    @Test
    void llamaModelsUseThePlainTemplate() {
        try (EngineBackend b = open(new TinyLlamaFixture().write(dir.resolve("llama.gguf")))) {
            assertEquals("plain", b.chatFormat());
            List<ChatMessage> messages = List.of(ChatMessage.system("s"), ChatMessage.user("abc"));
            ChatResult r = b.chat(ChatRequest.of(messages, 5), TokenListener.NONE);
            assertEquals(PlainChatTemplate.FORMAT, r.format());
            assertEquals("System: s\n\nUser: abc\n\nAssistant:", PlainChatTemplate.render(messages));
            assertArrayEquals(b.encode(PlainChatTemplate.render(messages)), r.generation().promptTokens());
            assertEquals(r.generation().text().strip(), r.finalText());
            assertEquals(0, r.analysisTokens());
            assertEquals(b.generate(GenerationRequest.greedy(PlainChatTemplate.render(messages), 5), TokenListener.NONE).tokens().length,
                    r.finalTokens());
        }
    }
}
