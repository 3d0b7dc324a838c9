package io.inferlab.reports.jmh;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.inferlab.reports.meta.RunMetadata;

/**
 * One JMH result file as read: the usable results in file order, what was skipped and why, notes
 * about partial data (missing raw samples, unreadable metadata) and the run metadata found beside
 * the file.
 */
public record JmhRun(Path file, List<BenchmarkResult> results, List<String> skipped, List<String> notes,
        Optional<RunMetadata> metadata) {
    public JmhRun {
        results = List.copyOf(results);
        skipped = List.copyOf(skipped);
        notes = List.copyOf(notes);
    }

    /** Results by key, in file order. */
    public Map<BenchmarkKey, BenchmarkResult> byKey() {
        Map<BenchmarkKey, BenchmarkResult> map = new LinkedHashMap<>();
        results.forEach(r -> map.put(r.key(), r));
        return map;
    }

    public Optional<BenchmarkResult> find(BenchmarkKey key) {
        return results.stream().filter(r -> r.key().equals(key)).findFirst();
    }
}
