package io.inferlab.reports.compare;

import io.inferlab.reports.jmh.BenchmarkKey;
import io.inferlab.reports.stats.ConfidenceInterval;

/**
 * One backend against the reference backend on the same benchmark and other params, within one
 * run.
 *
 * @param group           the benchmark key without the backend param
 * @param param           the param that names the backend ({@code backend}, {@code acceleration})
 * @param speedup         how many times faster the candidate is (above 1: faster), from medians;
 *                        for throughput candidate/reference, for time modes reference/candidate
 * @param speedupInterval bootstrap interval of the speedup
 * @param pMannWhitney    two-sided Mann-Whitney U p-value
 */
public record BackendComparison(BenchmarkKey group, String param, String reference, String candidate, double speedup,
        ConfidenceInterval speedupInterval, double pMannWhitney) {
}
