package io.inferlab.reports.compare;

import java.util.List;

import io.inferlab.reports.jmh.BenchmarkKey;
import io.inferlab.reports.stats.ConfidenceInterval;
import io.inferlab.reports.stats.SampleStatistics;

/**
 * One benchmark+params compared with its baseline.
 *
 * @param changePercent     median score change, current against baseline
 * @param changeInterval    bootstrap interval of that change (from the ratio of medians)
 * @param regressionPercent how much worse, in percent (negative: better); see {@link VerdictRule}
 * @param pMannWhitney      two-sided Mann-Whitney U p-value: the verdict's test
 * @param pWelch            two-sided Welch t-test p-value, shown for reference
 * @param effectSize        Hedges' g of current against baseline
 * @param warnings          small or noisy samples on either side
 */
public record BaselineComparison(BenchmarkKey key, String unit, SampleStatistics baseline, SampleStatistics current,
        double changePercent, ConfidenceInterval changeInterval, double regressionPercent, double pMannWhitney,
        double pWelch, double effectSize, Verdict verdict, List<String> warnings) {
    public BaselineComparison {
        warnings = List.copyOf(warnings);
    }

    /** True when this comparison fails the gate at the given threshold. */
    public boolean failsGate(double maxRegressionPercent) {
        return verdict == Verdict.REGRESSED && regressionPercent > maxRegressionPercent;
    }
}
