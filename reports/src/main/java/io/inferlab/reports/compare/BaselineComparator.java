package io.inferlab.reports.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.inferlab.reports.jmh.BenchmarkKey;
import io.inferlab.reports.jmh.BenchmarkResult;
import io.inferlab.reports.jmh.JmhRun;
import io.inferlab.reports.stats.ConfidenceInterval;
import io.inferlab.reports.stats.RunStatistics;
import io.inferlab.reports.stats.SampleStatistics;
import io.inferlab.reports.stats.SampleWarnings;
import io.inferlab.reports.stats.TwoSampleTests;

/** Compares every benchmark+params of a run with the same one in a baseline run. */
public final class BaselineComparator {
    private final ComparisonPolicy policy;

    public BaselineComparator(ComparisonPolicy policy) {
        this.policy = policy;
    }

    public ComparisonReport compare(JmhRun baseline, RunStatistics baselineStats, JmhRun current, RunStatistics currentStats) {
        Map<BenchmarkKey, BenchmarkResult> base = baseline.byKey();
        Map<BenchmarkKey, BenchmarkResult> cur = current.byKey();
        List<BenchmarkKey> comparable = new ArrayList<>();
        List<BenchmarkKey> onlyInBaseline = new ArrayList<>();
        List<BenchmarkKey> onlyInCurrent = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (BenchmarkKey key : base.keySet()) {
            if (!cur.containsKey(key)) {
                onlyInBaseline.add(key);
            }
        }
        for (var entry : cur.entrySet()) {
            BenchmarkKey key = entry.getKey();
            BenchmarkResult now = entry.getValue();
            BenchmarkResult then = base.get(key);
            if (then == null) {
                onlyInCurrent.add(key);
                continue;
            }
            if (!now.primary().unit().equals(then.primary().unit())) {
                skipped.add(key.label() + ": unit changed from " + then.primary().unit() + " to " + now.primary().unit());
                continue;
            }
            if (!then.primary().hasSamples() || !now.primary().hasSamples()) {
                skipped.add(key.label() + ": no rawData in the " + (then.primary().hasSamples() ? "current" : "baseline")
                        + " file, so it cannot be tested");
                continue;
            }
            comparable.add(key);
        }
        // Each comparison bootstraps its own seeded interval: independent, so the cores share them.
        List<BaselineComparison> rows = comparable.parallelStream().map(key -> compare(key, cur.get(key).primary().unit(),
                base.get(key).primary().samples(), baselineStats.get(key), cur.get(key).primary().samples(), currentStats.get(key)))
                .toList();
        return new ComparisonReport(baseline.file(), current.file(), rows, onlyInBaseline, onlyInCurrent, skipped, policy);
    }

    private BaselineComparison compare(BenchmarkKey key, String unit, double[] then, SampleStatistics thenStats, double[] now,
            SampleStatistics nowStats) {
        VerdictRule.Decision d = VerdictRule.decide(then, now, key.mode().higherIsBetter(), policy);
        ConfidenceInterval ratio = policy.bootstrap().ratioOfMedians(now, then, RunStatistics.seedOf(key, 2));
        List<String> warnings = new ArrayList<>();
        SampleWarnings.of(thenStats).forEach(w -> warnings.add("baseline: " + w));
        SampleWarnings.of(nowStats).forEach(w -> warnings.add("current: " + w));
        int fewest = Math.min(then.length, now.length);
        if (fewest < NightlyProfile.SAMPLES_PER_BENCHMARK && fewest >= SampleWarnings.MIN_SAMPLES) {
            warnings.add("gate power: " + fewest + " samples per side, calibrated for " + NightlyProfile.SAMPLES_PER_BENCHMARK
                    + " (" + NightlyProfile.FORKS + " forks x " + NightlyProfile.MEASUREMENT_ITERATIONS + " iterations)");
        }
        return new BaselineComparison(key, unit, thenStats, nowStats, d.changePercent(), ratio.map(r -> 100 * (r - 1)),
                d.regressionPercent(), d.pValue(), TwoSampleTests.welchP(then, now), TwoSampleTests.hedgesG(then, now),
                d.verdict(), warnings);
    }
}
