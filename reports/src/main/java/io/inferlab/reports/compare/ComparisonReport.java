package io.inferlab.reports.compare;

import java.nio.file.Path;
import java.util.List;

import io.inferlab.reports.jmh.BenchmarkKey;

/**
 * A run compared with its baseline: a row per benchmark present in both, the benchmarks found on
 * one side only, and those present in both but not comparable (with the reason).
 */
public record ComparisonReport(Path baselineFile, Path currentFile, List<BaselineComparison> rows,
        List<BenchmarkKey> onlyInBaseline, List<BenchmarkKey> onlyInCurrent, List<String> skipped, ComparisonPolicy policy) {
    public ComparisonReport {
        rows = List.copyOf(rows);
        onlyInBaseline = List.copyOf(onlyInBaseline);
        onlyInCurrent = List.copyOf(onlyInCurrent);
        skipped = List.copyOf(skipped);
    }

    public long count(Verdict verdict) {
        return rows.stream().filter(r -> r.verdict() == verdict).count();
    }

    /** The gate at the policy's threshold. */
    public GateResult gate() {
        return new GateResult(policy.maxRegressionPercent(),
                rows.stream().filter(r -> r.failsGate(policy.maxRegressionPercent())).toList(), rows.size());
    }
}
