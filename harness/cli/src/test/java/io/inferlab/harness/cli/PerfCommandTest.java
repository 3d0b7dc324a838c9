package io.inferlab.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.engine.SharedModels;

/** {@code inferlab perf} runs its pp/tg tests and reports them with the roofline (no timing assertions). */
class PerfCommandTest {

    @Test
    void reportsPrefillAndDecodeAsJson() throws Exception {
        Path model = SharedModels.require(SharedModels.STORIES_Q8_0);
        MainTest.Run r = MainTest.run("perf", "--model", model.toString(), "-p", "16", "-n", "8", "-r", "2", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode results = new ObjectMapper().readTree(r.out());
        assertEquals(2, results.size());
        assertEquals("pp16", results.get(0).get("test").asText());
        assertEquals("tg8", results.get(1).get("test").asText());
        for (JsonNode res : results) {
            assertEquals("cpu", res.get("backend").asText());
            assertEquals(2, res.get("samples").size());
            assertTrue(res.get("tokensPerSecondMean").asDouble() > 0);
        }
        assertTrue(results.get(1).get("rooflineTokensPerSecond").asDouble() > 0);
        assertTrue(results.get(1).get("rooflineEfficiency").asDouble() > 0);
        assertEquals(2, results.get(1).get("bandwidthSamples").size(), "one bandwidth per tg repetition");
        assertEquals(0, results.get(0).get("bandwidthSamples").size(), "pp has no roofline");
        assertTrue(r.err().contains("read bandwidth"), r.err());
    }

    @Test
    void interleavedBackendsReportInTheUsualOrder() throws Exception {
        Path model = SharedModels.require(SharedModels.STORIES_Q8_0);
        MainTest.Run r = MainTest.run("perf", "--model", model.toString(), "-b", "cpu,cpu", "--interleave", "-p", "8", "-n",
                "4", "-r", "2", "-t", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode results = new ObjectMapper().readTree(r.out());
        assertEquals(4, results.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i % 2 == 0 ? "pp8" : "tg4", results.get(i).get("test").asText());
            assertEquals(2, results.get(i).get("samples").size());
        }
        assertEquals(2, r.err().split("cpu: ", -1).length - 1, "both backends opened and warmed up first: " + r.err());
    }

    /** As llama-bench: comma-separated sizes and thread counts, one row per combination. */
    @Test
    void severalSizesAndThreadCountsGiveOneResultEach() throws Exception {
        Path model = SharedModels.require(SharedModels.STORIES_Q8_0);
        MainTest.Run r = MainTest.run("perf", "--model", model.toString(), "-p", "8,16", "-n", "4", "-t", "1,2", "-r", "1",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode results = new ObjectMapper().readTree(r.out());
        assertEquals(6, results.size());
        String[] tests = {"pp8", "pp16", "tg4", "pp8", "pp16", "tg4"};
        int[] threads = {1, 1, 1, 2, 2, 2};
        for (int i = 0; i < 6; i++) {
            assertEquals(tests[i], results.get(i).get("test").asText(), "result " + i);
            assertEquals(threads[i], results.get(i).get("threads").asInt(), "result " + i);
        }
        assertTrue(r.err().contains("with 1 threads") && r.err().contains("with 2 threads"), "a probe per thread count: " + r.err());
    }

    @Test
    void noTestIsAnError() {
        MainTest.Run r = MainTest.run("perf", "--model", "x.gguf", "-p", "0", "-n", "0");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no test to run"), r.err());
    }

    @Test
    void anUnknownBackendFailsBeforeAnythingRuns() {
        MainTest.Run r = MainTest.run("perf", "--model", "x.gguf", "-b", "cpu,nosuch");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no backend 'nosuch'"), r.err());
        assertFalse(r.err().contains("read bandwidth"), "nothing measured: " + r.err());
    }

    @Test
    void badNumbersAreRejected() {
        MainTest.Run r = MainTest.run("perf", "--model", "x.gguf", "-r", "0");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("-r"), r.err());
    }
}
