package io.inferlab.harness.cli;

import static io.inferlab.harness.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.engine.SharedModels;
import io.inferlab.engine.model.GptOssFixture;
import io.inferlab.engine.model.TinyLlamaFixture;

/** {@code inferlab chat}: harmony for gpt-oss models, the plain template for llama, text and JSON output. */
class ChatCommandTest {
    @TempDir
    Path dir;

    @Test
    void gptOssChatsInHarmonyAndReportsChannels() throws Exception {
        Path model = new GptOssFixture().write(dir.resolve("oss.gguf"));
        MainTest.Run r = run("chat", "--model", model.toString(), "--prompt", "hello", "--system", "Be brief.",
                "--reasoning", "high", "--temperature", "0", "-n", "6", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("harmony", json.get("format").asText());
        assertEquals(6, json.get("generated_tokens").asInt());
        assertTrue(json.get("messages").isArray());
        assertTrue(json.has("final") && json.has("analysis") && json.has("final_tokens") && json.has("analysis_tokens"));
        assertTrue(json.get("compute_mode").asText().contains("mxfp4 experts"), json.toString());
        assertTrue(json.get("warmup_ms").asDouble() > 0, json.toString());
    }

    /** A scripted model that ends its turn at once: no final text, stop reason eos, the analysis section when asked. */
    @Test
    void textOutputShowsFinalAndAnalysis() {
        Path model = new GptOssFixture().alwaysPredicts("<|return|>").write(dir.resolve("stop.gguf"));
        MainTest.Run r = run("chat", "-m", model.toString(), "-p", "hi", "--show-analysis", "--reasoning", "LOW");
        assertEquals(0, r.code(), r.err());
        assertEquals("[analysis]\n\n\n[final]\n\n", r.out());
        assertTrue(r.err().contains("harmony format") && r.err().contains("(eos; final 0, analysis 0)"), r.err());
        assertTrue(r.err().startsWith("warm-up: "), r.err());
    }

    @Test
    void llamaModelsUseThePlainTemplate() throws Exception {
        Path model = new TinyLlamaFixture().write(dir.resolve("llama.gguf"));
        MainTest.Run r = run("chat", "-m", model.toString(), "-p", "abc", "-n", "3", "--temperature", "0", "--json", "--no-warmup");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("plain", json.get("format").asText());
        assertEquals(0.0, json.get("warmup_ms").asDouble(), "--no-warmup skips it");
    }

    @Test
    void badReasoningLevelIsAUsageError() {
        MainTest.Run r = run("chat", "-m", "x.gguf", "-p", "hi", "--reasoning", "extreme");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("low, medium or high"), r.err());
    }

    @Test
    void tinyGptOssChats() throws Exception {
        Path model = SharedModels.require(SharedModels.TINY_GPT_OSS);
        MainTest.Run r = run("chat", "-m", model.toString(), "-p", "What is 2+2?", "-n", "8", "--temperature", "0", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("harmony", json.get("format").asText());
        assertTrue(json.get("prompt_tokens").asInt() > 20, "system message, user message and the assistant header");
    }
}
