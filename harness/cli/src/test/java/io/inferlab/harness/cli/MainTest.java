package io.inferlab.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.engine.SharedModels;

/** The CLI end to end, in process: output streams, exit codes and one-line errors. */
class MainTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void greedyGenerateprintsTheReferenceTextExactly() {
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        Run r = run("generate", "--model", model.toString(), "--prompt", "Once upon a time", "--max-tokens", "100",
                "--temperature", "0");
        assertEquals(0, r.code(), r.err());
        assertEquals(SharedModels.STORIES_REFERENCE_TEXT + "\n", r.out(), "the warm-up run leaves nothing behind");
        assertTrue(r.err().contains("prompt tokens: 5") && r.err().contains("TTFT") && r.err().contains("decode"), r.err());
        assertTrue(r.err().startsWith("warm-up: "), r.err());
    }

    @Test
    void noWarmupSkipsTheUntimedRun() throws Exception {
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        Run r = run("generate", "--model", model.toString(), "--prompt", "Once upon a time", "--max-tokens", "100",
                "--temperature", "0", "--no-warmup");
        assertEquals(0, r.code(), r.err());
        assertEquals(SharedModels.STORIES_REFERENCE_TEXT + "\n", r.out());
        assertFalse(r.err().contains("warm-up"), r.err());
        Run json = run("generate", "-m", model.toString(), "-p", "Once upon a time", "-n", "3", "--no-warmup", "--json");
        assertEquals(0.0, new ObjectMapper().readTree(json.out()).get("warmup_ms").asDouble());
    }

    @Test
    void jsonOutputHasTextTokensAndTimings() throws Exception {
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        Run r = run("generate", "-m", model.toString(), "-p", "Once upon a time", "-n", "10", "--temperature", "0", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(5, json.get("prompt_token_ids").size());
        assertEquals(10, json.get("token_ids").size());
        assertEquals("max_tokens", json.get("stop_reason").asText());
        assertTrue(SharedModels.STORIES_REFERENCE_TEXT.startsWith("Once upon a time" + json.get("text").asText()));
        assertTrue(json.get("timings").get("ttft_ns").asLong() > 0);
        assertEquals(9, json.get("timings").get("itl_ns").size());
        assertTrue(json.get("warmup_ms").asDouble() > 0);
    }

    @Test
    void malformedModelIsOneLineAndExitOne() throws Exception {
        Path bad = Files.write(dir.resolve("bad.gguf"), "NOTGGUF-and-some-bytes".getBytes(StandardCharsets.US_ASCII));
        Run r = run("generate", "--model", bad.toString(), "--prompt", "hi");
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("bad magic") && r.err().contains("bad.gguf"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void missingModelFileIsOneLine() {
        Run r = run("generate", "--model", dir.resolve("nope.gguf").toString(), "--prompt", "hi");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("nope.gguf") && r.err().contains("not found"), r.err());
    }

    @Test
    void wrongFlagsAreUsageErrors() {
        Run unknown = run("generate", "--model", "x.gguf", "--prompt", "hi", "--bogus");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--bogus"), unknown.err());
        Run missing = run("generate", "--prompt", "hi");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--model"), missing.err());
        Run badNumber = run("generate", "--model", "x", "--prompt", "hi", "--max-tokens", "many");
        assertEquals(2, badNumber.code());
        assertEquals(2, run().code());
    }

    @Test
    void unknownBackendIsNamed() {
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        Run r = run("generate", "--model", model.toString(), "--prompt", "hi", "--backend", "tpu");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("tpu") && r.err().contains("cpu"), r.err());
    }

    @Test
    void invalidSamplingIsAnError() {
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        Run r = run("generate", "--model", model.toString(), "--prompt", "hi", "--top-p", "2");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("topP"), r.err());
    }
}
