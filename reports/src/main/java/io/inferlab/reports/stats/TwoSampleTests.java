package io.inferlab.reports.stats;

import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Tests and effect sizes for two independent samples (baseline versus current, or two backends).
 * Results are NaN where a sample is too small for the method.
 */
public final class TwoSampleTests {
    private TwoSampleTests() {
    }

    /**
     * Two-sided p-value of the Mann-Whitney U test (Commons Math: normal approximation, ties
     * averaged). Rank-based, so a few outlier iterations (a GC, a noisy neighbour) cannot fake a
     * shift. NaN with an empty sample.
     */
    public static double mannWhitneyP(double[] x, double[] y) {
        if (x.length == 0 || y.length == 0) {
            return Double.NaN;
        }
        return new MannWhitneyUTest().mannWhitneyUTest(x, y);
    }

    /** Two-sided p-value of Welch's unequal-variance t-test; NaN with fewer than 2 samples on a side. */
    public static double welchP(double[] x, double[] y) {
        if (x.length < 2 || y.length < 2) {
            return Double.NaN;
        }
        if (StatUtils.variance(x) == 0 && StatUtils.variance(y) == 0) {
            // Welch's degrees of freedom are 0/0 here: the samples are constants, equal or not.
            return StatUtils.mean(x) == StatUtils.mean(y) ? 1.0 : 0.0;
        }
        return new TTest().tTest(x, y);
    }

    /**
     * Hedges' g of y against x: the difference of means over the pooled standard deviation, with
     * the small-sample correction J = 1 - 3 / (4 (n1 + n2) - 9) (Hedges 1981). Positive when y's
     * mean is larger. NaN with fewer than 2 samples on a side or zero spread.
     */
    public static double hedgesG(double[] x, double[] y) {
        int n1 = x.length;
        int n2 = y.length;
        if (n1 < 2 || n2 < 2) {
            return Double.NaN;
        }
        double pooled = Math.sqrt(((n1 - 1) * StatUtils.variance(x) + (n2 - 1) * StatUtils.variance(y)) / (n1 + n2 - 2));
        if (pooled == 0) {
            return Double.NaN;
        }
        double d = (StatUtils.mean(y) - StatUtils.mean(x)) / pooled;
        return d * (1 - 3.0 / (4.0 * (n1 + n2) - 9));
    }
}
