package io.inferlab.reports;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import io.inferlab.reports.compare.ComparisonPolicy;

/**
 * What to report on and where to write it.
 *
 * @param input      the JMH JSON of the run reported on
 * @param baseline   a JMH JSON to compare with (enables the gate)
 * @param historyDir a result store directory of earlier runs (enables history and change points)
 * @param outDir     where index.html, summary.md, the CSV files and the PNGs go
 * @param maxCharts  most charts per kind (score charts, history charts), to keep reports of
 *                   hundreds of benchmarks readable and fast
 */
public record ReportOptions(Path input, Optional<Path> baseline, Optional<Path> historyDir, Path outDir, ComparisonPolicy policy,
        String title, int maxCharts) {
    public static final int DEFAULT_MAX_CHARTS = 8;

    public ReportOptions {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(outDir, "outDir");
        baseline = baseline == null ? Optional.empty() : baseline;
        historyDir = historyDir == null ? Optional.empty() : historyDir;
        policy = policy == null ? ComparisonPolicy.DEFAULT : policy;
        title = title == null || title.isBlank() ? "InferLab benchmark report" : title;
        if (maxCharts < 1) {
            throw new IllegalArgumentException("maxCharts must be >= 1, got " + maxCharts);
        }
    }

    public static ReportOptions of(Path input, Path outDir) {
        return new ReportOptions(input, Optional.empty(), Optional.empty(), outDir, ComparisonPolicy.DEFAULT, null, DEFAULT_MAX_CHARTS);
    }

    public ReportOptions withBaseline(Path baseline) {
        return new ReportOptions(input, Optional.of(baseline), historyDir, outDir, policy, title, maxCharts);
    }

    public ReportOptions withHistory(Path dir) {
        return new ReportOptions(input, baseline, Optional.of(dir), outDir, policy, title, maxCharts);
    }

    public ReportOptions withPolicy(ComparisonPolicy p) {
        return new ReportOptions(input, baseline, historyDir, outDir, p, title, maxCharts);
    }
}
