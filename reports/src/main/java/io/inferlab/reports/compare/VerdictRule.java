package io.inferlab.reports.compare;

import org.apache.commons.math3.stat.descriptive.rank.Median;

import io.inferlab.reports.stats.SampleWarnings;
import io.inferlab.reports.stats.TwoSampleTests;

/**
 * The one decision rule behind every verdict and the gate, so the simulation that measures the
 * gate's trustworthiness exercises exactly what nightly jobs run.
 *
 * <p>A change is the ratio of medians (robust to the odd slow iteration). It is a regression when
 * the Mann-Whitney U test finds the samples differ (p &lt; alpha) and the median moved the wrong
 * way by at least the minimum meaningful change; an improvement likewise the other way.
 */
public final class VerdictRule {
    private VerdictRule() {
    }

    /**
     * @param changePercent     relative change of the score's median, current against baseline
     * @param regressionPercent how much worse the current run is, in percent of the baseline
     *                          score: the throughput drop for thrpt, the time increase for time
     *                          modes; negative for an improvement
     * @param pValue            two-sided Mann-Whitney U p-value (NaN when not testable)
     */
    public record Decision(double changePercent, double regressionPercent, double pValue, Verdict verdict) {
    }

    public static Decision decide(double[] baseline, double[] current, boolean higherIsBetter, ComparisonPolicy policy) {
        if (baseline.length == 0 || current.length == 0) {
            return new Decision(Double.NaN, Double.NaN, Double.NaN, Verdict.INCONCLUSIVE);
        }
        Median median = new Median();
        double base = median.evaluate(baseline);
        double cur = median.evaluate(current);
        double change = base == 0 ? Double.NaN : 100 * (cur / base - 1);
        double regression = higherIsBetter ? -change : change;
        if (baseline.length < SampleWarnings.MIN_SAMPLES_FOR_TEST || current.length < SampleWarnings.MIN_SAMPLES_FOR_TEST
                || Double.isNaN(change)) {
            return new Decision(change, regression, Double.NaN, Verdict.INCONCLUSIVE);
        }
        double p = TwoSampleTests.mannWhitneyP(baseline, current);
        Verdict verdict = Verdict.UNCHANGED;
        if (p < policy.alpha()) {
            if (regression >= policy.minChangePercent()) {
                verdict = Verdict.REGRESSED;
            } else if (-regression >= policy.minChangePercent()) {
                verdict = Verdict.IMPROVED;
            }
        }
        return new Decision(change, regression, p, verdict);
    }

    /** Whether a decision fails the gate: regressed, and by more than the policy allows. */
    public static boolean failsGate(Decision d, ComparisonPolicy policy) {
        return d.verdict() == Verdict.REGRESSED && d.regressionPercent() > policy.maxRegressionPercent();
    }
}
