package io.inferlab.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.inferlab.api.GenerationRequest;
import io.inferlab.engine.SharedModels;
import io.inferlab.harness.detect.HostDetector;
import io.inferlab.harness.detect.HostFingerprint;
import io.inferlab.harness.results.ResultStore;
import io.inferlab.harness.results.RunMetadata;

/**
 * {@code inferlab select} and {@code generate --backend auto} end to end, in process, over a
 * fixture result store written for this host and the shared stories260K model.
 */
class SelectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path store;

    /** A stored run of this host measuring {@code model}: backend id to decode tokens/s. */
    private void storeRun(Path model, String folder, String host, Map<String, Double> decode) throws IOException {
        Path dir = Files.createDirectories(store.resolve(folder));
        RunMetadata meta = new RunMetadata(1, "2026-11-26T10:00:00Z", null, "quick",
                new RunMetadata.Host(host, "cpu", 2, 2, 1L << 30, List.of(), "Linux", "25", null),
                RunInfo.modelIdentity(model, null), Map.of());
        JSON.writeValue(dir.resolve(ResultStore.METADATA_FILE).toFile(), meta);
        ArrayNode entries = JSON.createArrayNode();
        decode.forEach((backend, tps) -> {
            ObjectNode e = entries.addObject();
            e.put("benchmark", "io.inferlab.jmh.DecodeBench.decode");
            e.putObject("params").put("backend", backend);
            e.putObject("secondaryMetrics").putObject("tokens").put("score", tps);
        });
        JSON.writeValue(dir.resolve(ResultStore.RESULT_FILE).toFile(), entries);
    }

    @Test
    void picksTheFasterMeasuredBackendAndSaysWhy() throws IOException {
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        String host = HostFingerprint.of(HostDetector.detect()).id();
        storeRun(model, "20261126T100000Z-quick", host, Map.of("cpu", 100.0, "opencl", 400.0));
        storeRun(model, "20261126T090000Z-quick", "another-host", Map.of("cpu", 9999.0));
        Files.createDirectories(store.resolve("20261126T080000Z-broken"));

        MainTest.Run r = MainTest.run("select", "--model", model.toString(), "--results", store.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        boolean openclHere = out.contains("opencl    OPENCL  measured");
        int cpuLine = out.indexOf(". cpu ");
        assertTrue(cpuLine > 0, out);
        if (openclHere) { // where OpenCL can run, the 4x faster measurement wins over CPU
            assertTrue(out.contains("1. opencl"), out);
            assertTrue(out.contains("4.00x the decode tokens/s of cpu"), out);
        } else {
            assertTrue(out.contains("excluded opencl: unavailable"), out);
            assertTrue(out.contains("1. cpu"), out);
        }
        assertTrue(out.contains("ignored run 20261126T090000Z-quick: host fingerprint another-host"), out);
        assertTrue(out.contains("ignored run 20261126T080000Z-broken: corrupt or partial run"), out);

        MainTest.Run json = MainTest.run("select", "--model", model.toString(), "--results", store.toString(), "--json",
                "--objective", "latency");
        assertEquals(0, json.code(), json.err());
        JsonNode root = JSON.readTree(json.out());
        assertEquals("latency", root.get("objective").asText());
        assertEquals(100.0, findChain(root, "cpu").get("measurement").get("decode_tokens_per_second").asDouble());
        assertTrue(findChain(root, "llamacpp") == null || findChain(root, "llamacpp").get("measurement").isNull());
    }

    private static JsonNode findChain(JsonNode root, String backend) {
        for (JsonNode e : root.get("chain")) {
            if (e.get("backend").asText().equals(backend)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void badOptionsAndConfigsAreOneLineErrors() throws IOException {
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        MainTest.Run bad = MainTest.run("select", "--model", model.toString(), "--results", store.toString(), "--objective", "fastest");
        assertEquals(Main.EXIT_ERROR, bad.code());
        assertTrue(bad.err().contains("objective 'fastest' is not one of throughput, latency, balanced"), bad.err());
        Path config = Files.writeString(store.resolve("adaptive.json"), "{\"exlude\": [\"cpu\"]}");
        MainTest.Run badConfig = MainTest.run("select", "--model", model.toString(), "--results", store.toString(),
                "--config", config.toString());
        assertEquals(Main.EXIT_ERROR, badConfig.code());
        assertTrue(badConfig.err().contains("exlude") && badConfig.err().contains("adaptive.json"), badConfig.err());
        MainTest.Run missing = MainTest.run("select", "--model", store.resolve("none.gguf").toString());
        assertEquals(Main.EXIT_ERROR, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }

    @Test
    void generateAutoServesThroughTheAdaptiveRuntimeAndNamesTheBackend() {
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        MainTest.Run r = MainTest.run("generate", "--backend", "auto", "--model", model.toString(), "--prompt",
                SharedModels.STORIES_PROMPT, "--max-tokens", "16", "--temperature", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith(SharedModels.STORIES_PROMPT), r.out());
        assertTrue(r.err().contains("backend: ") && r.err().contains("(auto, chain "), r.err());
        assertTrue(r.err().contains("generated: 16"), r.err());
        assertTrue(r.err().contains("warm-up: "), "the served backend is warmed up first: " + r.err());
        assertTrue(r.err().indexOf("warm-up: ") < r.err().indexOf("backend: "), r.err());
    }

    /** The warm-up leaves the served request as it would be without it: the reference text, exactly. */
    @Test
    void generateAutoWarmsUpWithoutChangingTheText() throws Exception {
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        MainTest.Run warm = MainTest.run("generate", "--backend", "auto", "--model", model.toString(), "--prompt",
                SharedModels.STORIES_PROMPT, "--max-tokens", "16", "--temperature", "0", "--json");
        MainTest.Run cold = MainTest.run("generate", "--backend", "auto", "--model", model.toString(), "--prompt",
                SharedModels.STORIES_PROMPT, "--max-tokens", "16", "--temperature", "0", "--json", "--no-warmup");
        assertEquals(0, warm.code(), warm.err());
        assertEquals(0, cold.code(), cold.err());
        JsonNode w = new ObjectMapper().readTree(warm.out());
        JsonNode c = new ObjectMapper().readTree(cold.out());
        assertEquals(c.get("text").asText(), w.get("text").asText());
        assertTrue(w.get("warmup_ms").asDouble() > 0, warm.out());
        assertEquals(0, c.get("warmup_ms").asDouble());
        assertFalse(cold.err().contains("warm-up: "), cold.err());
    }

    @Test
    void theWarmUpRequestOfAutoIsThePromptsStart() {
        GenerationRequest r = WarmupMixin.requestFor("\uD83D\uDE00".repeat(100));
        assertEquals(WarmupMixin.PROMPT_CHARS, r.prompt().codePointCount(0, r.prompt().length()), "whole code points");
        assertEquals(WarmupMixin.GENERATED_TOKENS, r.maxTokens());
        assertEquals("short", WarmupMixin.requestFor("short").prompt());
    }
}
