package io.inferlab.reports.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.reports.ReportInputException;

/** The run metadata file: where it lives, its JSON, atomic writes. */
class RunMetadataFilesTest {
    @TempDir
    Path dir;

    static RunMetadata sample() {
        var host = new RunMetadata.Host("bench-01", "Intel Xeon (Cascade Lake)", 2, 24L << 30,
                List.of(new RunMetadata.Gpu("NVIDIA H100", "NVIDIA", 80L << 30, "580.65")), "Linux 6.1 amd64", "Temurin 25.0.3",
                20e9);
        var model = new RunMetadata.ModelIdentity("tinyllama-q8_0", "/models/tinyllama-q8_0.gguf", "ab".repeat(32), "llama",
                List.of("Q8_0", "F32"), 1_170_000_000L);
        return new RunMetadata(RunMetadata.SCHEMA_VERSION, OffsetDateTime.parse("2025-06-01T02:03:04.5+02:00"), "0123456789abcdef",
                host, List.of(model), Map.of("cpu", "0.1.0", "llamacpp", "b4916"));
    }

    @Test
    void siblingNameIsStemDotMetaDotJson() {
        assertEquals(dir.resolve("run-7.meta.json"), RunMetadataFiles.siblingOf(dir.resolve("run-7.json")));
        assertEquals(dir.resolve("result.txt.meta.json"), RunMetadataFiles.siblingOf(dir.resolve("result.txt")));
        assertTrue(RunMetadataFiles.isMetadataFile(dir.resolve("run-7.meta.json")));
    }

    @Test
    void roundTripsWithRfc3339TimeAndLeavesNoTemporaryFile() throws Exception {
        Path result = dir.resolve("result.json");
        Path written = RunMetadataFiles.writeBeside(result, sample());
        assertEquals(RunMetadataFiles.siblingOf(result), written);
        String json = Files.readString(written);
        assertTrue(json.contains("\"time\" : \"2025-06-01T02:03:04.5+02:00\""), json);
        assertEquals(sample(), RunMetadataFiles.readBeside(result).orElseThrow());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(written), files.toList(), "only the metadata file, no temporary left behind");
        }
        // Rewriting replaces the file in place.
        RunMetadataFiles.writeBeside(result, sample());
        assertEquals(sample(), RunMetadataFiles.read(written));
    }

    @Test
    void unknownFieldsAreIgnoredAndMissingTimeIsAnError() throws Exception {
        Path meta = dir.resolve("a.meta.json");
        Files.writeString(meta, "{\"schemaVersion\": 2, \"time\": \"2025-01-01T00:00:00Z\", \"futureField\": [1, 2]}");
        assertEquals("2025-01-01T00:00Z", RunMetadataFiles.read(meta).time().toString());
        Files.writeString(meta, "{\"schemaVersion\": 1}");
        ReportInputException e = assertThrows(ReportInputException.class, () -> RunMetadataFiles.read(meta));
        assertTrue(e.getMessage().startsWith(meta.toString()) && e.getMessage().contains("time"), e.getMessage());
    }

    @Test
    void fingerprintIsStableAndTracksTheHardware() {
        RunMetadata.Host h = sample().host();
        assertEquals(h.fingerprint(), sample().host().fingerprint());
        assertEquals(16, h.fingerprint().length());
        var otherHostName = new RunMetadata.Host("bench-02", h.cpuModel(), h.cores(), h.memoryBytes(), h.gpus(), h.os(), h.jvm(), 19e9);
        assertEquals(h.fingerprint(), otherHostName.fingerprint(), "the host name and a bandwidth measurement are not the hardware");
        var moreCores = new RunMetadata.Host(h.hostname(), h.cpuModel(), 4, h.memoryBytes(), h.gpus(), h.os(), h.jvm(), null);
        assertNotEquals(h.fingerprint(), moreCores.fingerprint());
    }

    @Test
    void modelForMatchesTheModelParam() {
        RunMetadata m = sample();
        assertEquals("tinyllama-q8_0", m.modelFor("tinyllama-q8_0").orElseThrow().name());
        assertEquals("tinyllama-q8_0", m.modelFor("tinyllama-q8_0.gguf").orElseThrow().name());
        assertEquals("tinyllama-q8_0", m.modelFor(null).orElseThrow().name(), "the only model of the run");
    }
}
