package io.inferlab.cuda.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class CheckReportTest {
    private static final DeviceSummary H200 = new DeviceSummary("NVIDIA H200", "9.0", 150L << 30, 132, "580.65.06",
            "13.0", "available", 4.8e12, "NVIDIA datasheet for the part name");

    @Test
    void aReportWithAFailureIsWrittenAsJsonAndMarkdownAndDoesNotPass(@TempDir Path dir) throws IOException {
        CheckReport r = new CheckReport("2026-01-01T00:00Z", "gpu-host", H200, "", List.of(
                new CheckResult("kernel", "matmul Q4_0 rows=33", true, 1e-6, 1e-4, "ok"),
                new CheckResult("logits", "random llama F16", false, 0.5, 2e-3, "argmax | agrees at 60/64")),
                List.of(new BenchRow("cuda", "110m", "Q8_0", 5000, 900, 1100, 130L << 20, 0.03, "q8_0 weights (CUDA)")),
                List.of("a note"), 12.5);
        r.write(dir.resolve("out"));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/report.json").toFile());
        assertFalse(json.get("passed").asBoolean());
        assertEquals(1, json.get("failures").asInt());
        assertEquals("NVIDIA H200", json.get("device").get("name").asText());
        assertEquals(2, json.get("results").size());
        assertEquals(900, json.get("benchmark").get(0).get("tg64TokensPerSecond").asDouble());
        String md = Files.readString(dir.resolve("out/report.md"));
        assertTrue(md.contains("verdict: **FAIL** (2 checks, 1 failed)"), md);
        assertTrue(md.contains("| logits | random llama F16 | **FAIL** | 0.500 | 0.00200 | argmax \\| agrees at 60/64 |"), md);
        assertTrue(md.contains("| cuda | 110m | Q8_0 | 5000.0 | 900.0 | 1100.0 | 130.0 | 3.0% |"), md);
        try (var files = Files.list(dir.resolve("out"))) {
            assertEquals(2, files.count(), "no temp files left behind");
        }
    }

    @Test
    void withoutADeviceTheReportNamesWhyAndFails(@TempDir Path dir) {
        CheckReport r = new CheckReport("t", "h", null, "no NVIDIA driver", List.of(), List.of(), List.of(), 0.1);
        assertFalse(r.passed());
        assertTrue(r.markdown().contains("device: none (no NVIDIA driver)"), r.markdown());
        CheckReport ok = new CheckReport("t", "h", H200, "", List.of(new CheckResult("kernel", "add", true, 0, 0, "")),
                List.of(), List.of(), 0.1);
        assertTrue(ok.passed());
    }

    @Test
    void comparisonsScaleTheToleranceWithTheReferenceAndFailOnNaN() {
        Comparison c = Comparison.of(new float[] {10f, -20f, 1f}, new float[] {10.01f, -20f, 1f}, 3, 1e-3);
        assertEquals(0.02, c.allowed(), 1e-9);
        assertTrue(c.passed(), c.describe());
        assertEquals(0, c.worstIndex());
        assertFalse(Comparison.of(new float[] {1f}, new float[] {Float.NaN}, 1, 1).passed());
        assertFalse(Comparison.of(new float[] {0.1f, 0.2f}, new float[] {0.1f, 0.21f}, 2, 1e-3).passed());
    }
}
