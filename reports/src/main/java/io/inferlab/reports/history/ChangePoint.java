package io.inferlab.reports.history;

import java.time.Instant;

import io.inferlab.reports.jmh.BenchmarkKey;

/**
 * Where a benchmark's performance shifted: the first run at the new level.
 *
 * @param runLabel     the run's id and commit
 * @param before       mean per-run score before the shift
 * @param after        mean per-run score from this run on
 * @param shiftPercent (after / before - 1) * 100 of the score
 * @param regression   true when the shift made the benchmark worse
 */
public record ChangePoint(BenchmarkKey key, String runLabel, Instant time, double before, double after, double shiftPercent,
        double pValue, boolean regression) {
}
