package io.inferlab.reports.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.inferlab.reports.jmh.BenchmarkKey;
import io.inferlab.reports.jmh.JmhRun;

/**
 * The statistics of every result's primary metric in one run, computed once and shared by the
 * tables, comparisons and charts. Bootstrap seeds derive from the benchmark key, so the same file
 * always gives the same report.
 */
public final class RunStatistics {
    private final Map<BenchmarkKey, SampleStatistics> byKey = new LinkedHashMap<>();

    private RunStatistics() {
    }

    public static RunStatistics of(JmhRun run, Bootstrap bootstrap) {
        return of(run, bootstrap, true);
    }

    /** As {@link #of}, without the bootstrap intervals of the medians (for a baseline: not shown). */
    public static RunStatistics withoutMedianIntervals(JmhRun run, Bootstrap bootstrap) {
        return of(run, bootstrap, false);
    }

    private static RunStatistics of(JmhRun run, Bootstrap bootstrap, boolean medianIntervals) {
        RunStatistics s = new RunStatistics();
        // Bootstrapping hundreds of results is the costly part; seeds come from the keys, so
        // spreading it over the cores changes nothing in the numbers.
        List<SampleStatistics> stats = run.results().parallelStream()
                .map(r -> SampleStatistics.of(r.primary().samples(), bootstrap, seedOf(r.key(), 1), medianIntervals)).toList();
        for (int i = 0; i < stats.size(); i++) {
            s.byKey.put(run.results().get(i).key(), stats.get(i));
        }
        return s;
    }

    public SampleStatistics get(BenchmarkKey key) {
        SampleStatistics s = byKey.get(key);
        if (s == null) {
            throw new IllegalArgumentException("no statistics for " + key.label());
        }
        return s;
    }

    public List<String> warnings(BenchmarkKey key) {
        return SampleWarnings.of(get(key));
    }

    /** A reproducible seed for one key and purpose. */
    public static long seedOf(BenchmarkKey key, long salt) {
        return key.label().hashCode() * 0x9E3779B97F4A7C15L ^ salt;
    }
}
