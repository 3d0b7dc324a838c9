package io.inferlab.reports.compare;

import io.inferlab.reports.stats.Bootstrap;

/**
 * How comparisons decide and how the gate fails.
 *
 * @param alpha                significance level of the two-sided Mann-Whitney U test
 * @param minChangePercent     the minimum meaningful change: smaller significant changes are
 *                             "unchanged", so noise and trivia never count as regressions
 * @param maxRegressionPercent the gate: it fails when a benchmark's verdict is "regressed" and it
 *                             is worse by more than this
 * @param bootstrapResamples   resamples for the bootstrap intervals
 * @param confidenceLevel      level of every interval shown (0.95)
 */
public record ComparisonPolicy(double alpha, double minChangePercent, double maxRegressionPercent, int bootstrapResamples,
        double confidenceLevel) {
    /** alpha 0.01, minimum meaningful change 2%, gate at 2%, 1000 resamples, 95% intervals. */
    public static final ComparisonPolicy DEFAULT = new ComparisonPolicy(0.01, 2.0, 2.0, 1000, 0.95);

    public ComparisonPolicy {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        if (!(minChangePercent >= 0) || !Double.isFinite(minChangePercent)) {
            throw new IllegalArgumentException("minimum change must be a percentage >= 0, got " + minChangePercent);
        }
        if (!(maxRegressionPercent >= 0) || !Double.isFinite(maxRegressionPercent)) {
            throw new IllegalArgumentException("--max-regression must be a percentage >= 0, got " + maxRegressionPercent);
        }
        new Bootstrap(bootstrapResamples, confidenceLevel); // validates both
    }

    public ComparisonPolicy withMaxRegressionPercent(double pct) {
        return new ComparisonPolicy(alpha, minChangePercent, pct, bootstrapResamples, confidenceLevel);
    }

    public ComparisonPolicy withMinChangePercent(double pct) {
        return new ComparisonPolicy(alpha, pct, maxRegressionPercent, bootstrapResamples, confidenceLevel);
    }

    public Bootstrap bootstrap() {
        return new Bootstrap(bootstrapResamples, confidenceLevel);
    }
}
