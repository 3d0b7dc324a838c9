package io.inferlab.reports.jmh;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A validated metric of one result: JMH's own score and error, its percentiles, and the raw
 * samples the statistics work on: one value per measurement iteration, all forks together (for
 * sample mode, each iteration's mean from {@code rawDataHistogram}). {@code samples} is empty when
 * the file had no raw data; callers never modify it.
 *
 * @param name           "primary" or the secondary metric's name
 * @param scoreError     JMH's 99.9% half-width, NaN when JMH had too few samples
 * @param percentiles    percentage (50.0, 99.9) to value
 * @param samplesSource  {@code rawData}, {@code rawDataHistogram} or {@code none}
 */
public record Metric(String name, double score, double scoreError, String unit, SortedMap<Double, Double> percentiles,
        double[] samples, int forks, String samplesSource) {
    public static final String PRIMARY = "primary";

    public Metric {
        percentiles = Collections.unmodifiableSortedMap(new TreeMap<>(percentiles));
        unit = unit == null ? "" : unit;
    }

    public boolean hasSamples() {
        return samples.length > 0;
    }

    /** The percentile JMH computed, NaN when absent. */
    public double percentile(double percent) {
        Double v = percentiles.get(percent);
        return v == null ? Double.NaN : v;
    }
}
