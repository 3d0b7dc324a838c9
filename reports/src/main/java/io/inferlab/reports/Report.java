package io.inferlab.reports;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.inferlab.reports.chart.ChartImage;
import io.inferlab.reports.compare.BackendComparison;
import io.inferlab.reports.compare.ComparisonPolicy;
import io.inferlab.reports.compare.ComparisonReport;
import io.inferlab.reports.compare.GateResult;
import io.inferlab.reports.history.HistoryReport;
import io.inferlab.reports.jmh.JmhRun;
import io.inferlab.reports.roofline.RooflineReport;
import io.inferlab.reports.stats.RunStatistics;

/**
 * Everything a report shows, computed once and handed to the HTML, Markdown and CSV writers.
 *
 * @param warnings results whose samples are too few or too noisy, partial data, missing roofline
 *                 inputs: the report still stands, but these numbers deserve care
 * @param skipped  what the report left out and why: unusable entries, benchmarks on one side of a
 *                 comparison only, results that could not be compared
 */
public record Report(String title, Instant generatedAt, JmhRun current, RunStatistics currentStatistics,
        Optional<JmhRun> baseline, Optional<ComparisonReport> comparison, List<BackendComparison> backends,
        Optional<HistoryReport> history, RooflineReport roofline, List<ChartImage> charts, List<String> warnings,
        List<String> skipped, ComparisonPolicy policy) {
    public Report {
        backends = List.copyOf(backends);
        charts = List.copyOf(charts);
        warnings = List.copyOf(warnings);
        skipped = List.copyOf(skipped);
    }

    /** The regression gate, present when there is a baseline. */
    public Optional<GateResult> gate() {
        return comparison.map(ComparisonReport::gate);
    }
}
