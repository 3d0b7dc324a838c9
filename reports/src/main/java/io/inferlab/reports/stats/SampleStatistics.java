package io.inferlab.reports.stats;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * Descriptive statistics of one sample (a result's per-iteration scores): mean, median, standard
 * deviation, coefficient of variation, a t-based interval for the mean and a bootstrap interval
 * for the median. Values are NaN where the sample is too small for them.
 */
public record SampleStatistics(int n, double mean, double median, double standardDeviation, double coefficientOfVariation,
        ConfidenceInterval meanInterval, ConfidenceInterval medianInterval) {

    /**
     * Statistics of {@code samples} at the bootstrap's confidence level; {@code withMedianInterval}
     * false skips the bootstrap (a baseline's median interval is never shown, and it is the
     * costly part).
     */
    public static SampleStatistics of(double[] samples, Bootstrap bootstrap, long seed, boolean withMedianInterval) {
        int n = samples.length;
        double level = bootstrap.level();
        if (n == 0) {
            return new SampleStatistics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, ConfidenceInterval.unknown(level),
                    ConfidenceInterval.unknown(level));
        }
        double mean = StatUtils.mean(samples);
        double median = new Median().evaluate(samples);
        if (n == 1) {
            return new SampleStatistics(1, mean, median, Double.NaN, Double.NaN, ConfidenceInterval.unknown(level),
                    ConfidenceInterval.unknown(level));
        }
        double sd = Math.sqrt(StatUtils.variance(samples, mean));
        double cv = mean == 0 ? Double.NaN : sd / Math.abs(mean);
        // Student's t interval for the mean: mean +- t(1 - alpha/2, n - 1) * s / sqrt(n).
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(1 - (1 - level) / 2);
        double half = t * sd / Math.sqrt(n);
        return new SampleStatistics(n, mean, median, sd, cv, new ConfidenceInterval(mean - half, mean + half, level),
                withMedianInterval ? bootstrap.median(samples, seed) : ConfidenceInterval.unknown(level));
    }

    /** Statistics of {@code samples}, with the bootstrap interval of the median. */
    public static SampleStatistics of(double[] samples, Bootstrap bootstrap, long seed) {
        return of(samples, bootstrap, seed, true);
    }
}
