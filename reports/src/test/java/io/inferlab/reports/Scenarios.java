package io.inferlab.reports;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.inferlab.reports.meta.RunMetadata;
import io.inferlab.reports.meta.RunMetadataFiles;

/** Ready-made inputs shared by the tests here and the CLI's: a result store, run metadata. */
public final class Scenarios {
    /** Run names in an order unrelated to time: the metadata's time decides. */
    public static final List<String> RUN_NAMES = List.of("run-h", "run-c", "run-a", "run-f", "run-b", "run-g", "run-e", "run-d");
    /** The store's first run time; run i is i days later. */
    public static final OffsetDateTime FIRST_RUN = OffsetDateTime.parse("2025-06-01T02:00:00Z");

    private Scenarios() {
    }

    /**
     * A result store of {@code runs} (at most 8) nightly runs in the store's layout,
     * {@code NAME/jmh-result.json} and {@code NAME/run-metadata.json}: each run holds the real baseline's benchmarks with fresh samples (2 forks
     * x 5 iterations, CV 2%); decode [CPU, quick_qa] loses 20% throughput from the fifth run on.
     * Commits are {@code c0ffee<i>0000}.
     */
    public static Path store(Path dir, int runs) {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < runs; i++) {
            ArrayNode run = JmhFixtures.tree(JmhFixtures.BASELINE);
            for (int e = 0; e < run.size(); e++) {
                ObjectNode entry = (ObjectNode) run.get(e);
                boolean slowed = entry.get("benchmark").asText().endsWith(".decode")
                        && entry.get("params").get("backend").asText().equals("CPU")
                        && entry.get("params").get("suite").asText().equals("quick_qa") && i >= 4;
                SyntheticJmh.setSamples(entry, SyntheticJmh.lognormal(random, 2, 5, 1000.0 * (e + 1) * (slowed ? 0.8 : 1), 0.02));
            }
            Path folder = dir.resolve(RUN_NAMES.get(i));
            JmhFixtures.write(folder.resolve("jmh-result.json"), run);
            RunMetadataFiles.write(folder.resolve(RunMetadataFiles.STORE_FILE), new RunMetadata(RunMetadata.SCHEMA_VERSION,
                    FIRST_RUN.plusDays(i), "c0ffee" + i + "0000", "nightly", null, null, Map.of("cpu", "0.1.0")));
        }
        return dir;
    }

    /** Run metadata with a host read bandwidth and one model's weight bytes per token. */
    public static RunMetadata rooflineMetadata(double bandwidthBytesPerSecond, long weightBytesPerToken) {
        var host = new RunMetadata.Host("3f2a9c0d11e4b7a8", "test cpu", 2, 4, 24L << 30, List.of(), "Linux", "25", bandwidthBytesPerSecond);
        var model = new RunMetadata.Model("/m.gguf", null, "llama", "m", 15_000_000, Map.of("Q8_0", 56, "F32", 13), weightBytesPerToken);
        return new RunMetadata(RunMetadata.SCHEMA_VERSION, OffsetDateTime.parse("2025-06-10T00:00:00Z"), null, "quick", host, model,
                Map.of("cpu", "0.1.0"));
    }
}
