package io.inferlab.harness.adaptive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.inferlab.harness.results.ResultStore;
import io.inferlab.harness.results.RunMetadata;

/** Writes result-store runs in the layout {@code inferlab bench} stores, for selection tests. */
final class StoreFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOST = "host-aaaa";
    static final String SHA = "a".repeat(64);
    static final RunMetadata.Model MODEL = model(SHA, "llama", Map.of("F32", 13, "Q8_0", 43));

    private StoreFixtures() {
    }

    static RunMetadata.Model model(String sha, String arch, Map<String, Integer> types) {
        return new RunMetadata.Model("/models/stories260K.gguf", sha, arch, "stories", 260_000, types, 500_000L);
    }

    /** One backend's numbers in a run: decode tok/s, suite TTFT p50 and TPOT (null = not measured). */
    record Numbers(String backend, Double decode, Double ttft, Double tpot) {
    }

    static Path run(Path root, String folder, String time, String host, RunMetadata.Model model, List<Numbers> numbers)
            throws IOException {
        Path dir = Files.createDirectories(root.resolve(folder));
        RunMetadata meta = new RunMetadata(1, time, null, "quick",
                new RunMetadata.Host(host, "cpu", 2, 2, 1L << 30, List.of(), "Linux", "25", null), model, Map.of());
        JSON.writeValue(dir.resolve(ResultStore.METADATA_FILE).toFile(), meta);
        ArrayNode entries = JSON.createArrayNode();
        for (Numbers n : numbers) {
            if (n.decode() != null) {
                entries.add(entry(StoredMeasurements.DECODE, n.backend(), Map.of("tokens", n.decode())));
            }
            if (n.ttft() != null) {
                entries.add(entry(StoredMeasurements.SUITE, n.backend(), Map.of("ttft_p50_ms", n.ttft(), "tpot_mean_ms", n.tpot())));
            }
        }
        JSON.writeValue(dir.resolve(ResultStore.RESULT_FILE).toFile(), entries);
        return dir;
    }

    private static ObjectNode entry(String benchmark, String backend, Map<String, Double> metrics) {
        ObjectNode e = JSON.createObjectNode();
        e.put("benchmark", benchmark);
        e.putObject("params").put("backend", backend).put("acceleration", "CPU");
        ObjectNode sec = e.putObject("secondaryMetrics");
        metrics.forEach((k, v) -> sec.putObject(k).put("score", v));
        return e;
    }
}
