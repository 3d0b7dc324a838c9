package io.inferlab.reports.jmh;

import java.util.List;
import java.util.Optional;

/**
 * One validated JMH result: its key, how it was run, the primary metric and the secondary ones
 * ({@code @AuxCounters}, profilers; sample mode's {@code p0.50}-style percentile entries are kept
 * out of them because the primary metric's percentiles already hold them).
 */
public record BenchmarkResult(BenchmarkKey key, int threads, int forks, int warmupIterations, int measurementIterations,
        Metric primary, List<Metric> secondaries, JvmInfo jvm) {
    public BenchmarkResult {
        secondaries = List.copyOf(secondaries);
    }

    public JmhMode mode() {
        return key.mode();
    }

    public Optional<Metric> secondary(String name) {
        return secondaries.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
