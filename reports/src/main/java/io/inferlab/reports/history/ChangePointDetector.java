package io.inferlab.reports.history;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Finds the points where a series of per-run scores shifted level.
 *
 * <p>Plain binary segmentation (split where the two halves differ most) misses a level that goes
 * up and comes back down, because the two halves of the whole series then have equal means. So,
 * as E-divisive does (Matteson and James 2014, "A Nonparametric Approach for Multiple Change Point
 * Analysis of Multivariate Data"), each step searches a pair (tau, kappa): the segment
 * {@code [from, tau)} against {@code [tau, kappa)}, with kappa free up to the segment's end. The
 * pair with the smallest Welch t-test p-value names a change at tau when that p-value, corrected
 * for the number of pairs tried (Bonferroni), is below alpha and the means differ by at least the
 * minimum meaningful change; then {@code [from, tau)} and {@code [tau, to)} are searched again.
 * Every segment keeps at least {@code minSegment} runs, so a single odd run is never named.
 */
public final class ChangePointDetector {
    /**
     * A pair whose |t| is below this cannot survive the correction for the many pairs tried at
     * alpha <= 0.05, so its p-value is not computed (the search stays quadratic, not slower).
     */
    private static final double MIN_INTERESTING_T = 3.0;

    private final double alpha;
    private final double minShiftPercent;
    private final int minSegment;

    public ChangePointDetector(double alpha, double minShiftPercent, int minSegment) {
        if (minSegment < 2) {
            throw new IllegalArgumentException("minSegment must be >= 2 (a t-test needs two values a side), got " + minSegment);
        }
        if (!(alpha > 0 && alpha <= 0.05)) {
            throw new IllegalArgumentException("alpha must be in (0, 0.05], got " + alpha);
        }
        this.alpha = alpha;
        this.minShiftPercent = minShiftPercent;
        this.minSegment = minSegment;
    }

    /**
     * A detected shift.
     *
     * @param index        the first index of the new level
     * @param before       mean of the segment before
     * @param after        mean of the segment from {@code index} on (up to the next level)
     * @param shiftPercent (after / before - 1) * 100
     * @param pValue       Bonferroni-corrected Welch p-value of the split
     */
    public record Shift(int index, double before, double after, double shiftPercent, double pValue) {
    }

    /** The shifts in {@code values}, in index order. */
    public List<Shift> detect(double[] values) {
        int n = values.length;
        double[] sum = new double[n + 1];
        double[] sumSq = new double[n + 1];
        for (int i = 0; i < n; i++) {
            sum[i + 1] = sum[i] + values[i];
            sumSq[i + 1] = sumSq[i] + values[i] * values[i];
        }
        List<Shift> shifts = new ArrayList<>();
        segment(sum, sumSq, 0, n, shifts);
        shifts.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return shifts;
    }

    private void segment(double[] sum, double[] sumSq, int from, int to, List<Shift> out) {
        if (to - from < 2 * minSegment) {
            return;
        }
        int pairs = 0;
        double bestP = Double.POSITIVE_INFINITY;
        int bestTau = -1;
        int bestKappa = -1;
        for (int tau = from + minSegment; tau <= to - minSegment; tau++) {
            for (int kappa = tau + minSegment; kappa <= to; kappa++) {
                pairs++;
                double p = welchP(sum, sumSq, from, tau, kappa);
                if (p < bestP) {
                    bestP = p;
                    bestTau = tau;
                    bestKappa = kappa;
                }
            }
        }
        if (bestTau < 0) {
            return;
        }
        double before = mean(sum, from, bestTau);
        double after = mean(sum, bestTau, bestKappa);
        double shift = before == 0 ? Double.NaN : 100 * (after / before - 1);
        double corrected = Math.min(1.0, bestP * pairs);
        if (corrected < alpha && Math.abs(shift) >= minShiftPercent) {
            out.add(new Shift(bestTau, before, after, shift, corrected));
            segment(sum, sumSq, from, bestTau, out);
            segment(sum, sumSq, bestTau, to, out);
        }
    }

    /** Two-sided Welch p-value of [a, b) against [b, c); 1 when |t| is too small to matter. */
    private static double welchP(double[] sum, double[] sumSq, int a, int b, int c) {
        int n1 = b - a;
        int n2 = c - b;
        double m1 = mean(sum, a, b);
        double m2 = mean(sum, b, c);
        double v1 = variance(sum, sumSq, a, b) / n1;
        double v2 = variance(sum, sumSq, b, c) / n2;
        double se2 = v1 + v2;
        if (se2 <= 0) {
            // Both segments constant (to rounding): different levels are certain, equal ones are not a shift.
            return Math.abs(m2 - m1) > 1e-12 * Math.max(Math.abs(m1), Math.abs(m2)) ? 0.0 : 1.0;
        }
        double t = Math.abs(m2 - m1) / Math.sqrt(se2);
        if (t < MIN_INTERESTING_T) {
            return 1.0;
        }
        // Welch-Satterthwaite degrees of freedom.
        double df = se2 * se2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
        return 2 * new TDistribution(null, df).cumulativeProbability(-t);
    }

    private static double mean(double[] sum, int a, int b) {
        return (sum[b] - sum[a]) / (b - a);
    }

    private static double variance(double[] sum, double[] sumSq, int a, int b) {
        int n = b - a;
        double m = mean(sum, a, b);
        // Sample variance from running sums; clamp the rounding error that can make it negative.
        return Math.max(0, (sumSq[b] - sumSq[a] - n * m * m) / (n - 1));
    }
}
