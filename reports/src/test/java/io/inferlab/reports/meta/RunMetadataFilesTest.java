package io.inferlab.reports.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** The run metadata file: where it is found, its JSON (the result store's), atomic writes. */
class RunMetadataFilesTest {
    @TempDir
    Path dir;

    static RunMetadata sample() {
        var host = new RunMetadata.Host("3f2a9c0d11e4b7a8", "Intel Xeon (Cascade Lake)", 2, 4, 24L << 30, List.of("NVIDIA H100 80GB"),
                "Linux 6.1 amd64", "Temurin 25.0.3", 20e9);
        var model = new RunMetadata.Model("/models/tinyllama-q8_0.gguf", "ab".repeat(32), "llama", "tinyllama", 1_100_000_000L,
                Map.of("Q8_0", 155, "F32", 45), 1_170_000_000L);
        return new RunMetadata(RunMetadata.SCHEMA_VERSION, OffsetDateTime.parse("2025-06-01T02:03:04.5+02:00"), "0123456789abcdef",
                "nightly", host, model, Map.of("cpu", "0.1.0", "llamacpp", "b4916"));
    }

    @Test
    void readsTheResultStoresFileAsTheBenchCommandWritesIt() throws Exception {
        // The field names and shapes of harness/runtime's RunMetadata, time as ISO_INSTANT.
        Path meta = Files.writeString(dir.resolve("run-metadata.json"), """
                {
                  "schema_version" : 1,
                  "time" : "2025-06-01T02:00:00Z",
                  "git_commit" : "abc1234",
                  "profile" : "nightly",
                  "host" : { "fingerprint" : "3f2a9c0d11e4b7a8", "cpu_model" : "Xeon", "physical_cores" : 2, "logical_cores" : 4,
                             "memory_bytes" : 25769803776, "gpus" : [ ], "os" : "Linux", "jvm" : "25" },
                  "model" : { "path" : "/m.gguf", "sha256" : "00ff", "architecture" : "llama", "name" : "stories15M",
                              "parameters" : 15000000, "tensor_types" : { "Q8_0" : 56, "F32" : 13 } },
                  "backends" : { "cpu" : "0.1.0" }
                }
                """);
        Path result = dir.resolve("jmh-result.json");
        RunMetadata m = RunMetadataFiles.readBeside(result).orElseThrow();
        assertEquals(meta, RunMetadataFiles.find(result).orElseThrow());
        assertEquals(OffsetDateTime.parse("2025-06-01T02:00:00Z"), m.time());
        assertEquals("abc1234", m.gitCommit());
        assertEquals("3f2a9c0d11e4b7a8", m.host().fingerprint());
        assertEquals(2, m.host().physicalCores());
        assertEquals(56, m.model().tensorTypes().get("Q8_0"));
        assertEquals(null, m.model().weightBytesPerToken(), "the roofline inputs are optional");
        assertEquals(Map.of("cpu", "0.1.0"), m.backends());
    }

    @Test
    void aFilesOwnMetadataWinsOverTheFolders() throws Exception {
        Files.writeString(dir.resolve("run-metadata.json"), "{\"time\": \"2025-01-01T00:00:00Z\"}");
        RunMetadataFiles.writeBeside(dir.resolve("current.json"), sample());
        assertEquals(dir.resolve("current.meta.json"), RunMetadataFiles.find(dir.resolve("current.json")).orElseThrow());
        assertEquals(dir.resolve("run-metadata.json"), RunMetadataFiles.find(dir.resolve("baseline.json")).orElseThrow());
        assertTrue(RunMetadataFiles.isMetadataFile(dir.resolve("run-metadata.json")));
        assertTrue(RunMetadataFiles.isMetadataFile(dir.resolve("current.meta.json")));
        assertEquals(dir.resolve("result.txt.meta.json"), RunMetadataFiles.siblingOf(dir.resolve("result.txt")));
    }

    @Test
    void roundTripsWithRfc3339TimeAndLeavesNoTemporaryFile() throws Exception {
        Path result = dir.resolve("result.json");
        Path written = RunMetadataFiles.writeBeside(result, sample());
        String json = Files.readString(written);
        assertTrue(json.contains("\"time\" : \"2025-06-01T02:03:04.5+02:00\""), json);
        assertTrue(json.contains("\"memory_read_bandwidth_bytes_per_second\" : 2.0E10"), json);
        assertEquals(sample(), RunMetadataFiles.readBeside(result).orElseThrow());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(written), files.toList(), "only the metadata file, no temporary left behind");
        }
        RunMetadataFiles.writeBeside(result, sample());
        assertEquals(sample(), RunMetadataFiles.read(written));
    }

    @Test
    void unknownFieldsAreIgnoredAndMissingTimeIsAnError() throws Exception {
        Path meta = dir.resolve("a.meta.json");
        Files.writeString(meta, "{\"schema_version\": 2, \"time\": \"2025-01-01T00:00:00Z\", \"future_field\": [1, 2]}");
        assertEquals("2025-01-01T00:00Z", RunMetadataFiles.read(meta).time().toString());
        Files.writeString(meta, "{\"schema_version\": 1}");
        ReportInputException e = assertThrows(ReportInputException.class, () -> RunMetadataFiles.read(meta));
        assertTrue(e.getMessage().startsWith(meta.toString()) && e.getMessage().contains("time"), e.getMessage());
    }
}
