package io.inferlab.reports.history;

import java.time.Instant;
import java.util.List;

import io.inferlab.reports.jmh.BenchmarkKey;

/** One benchmark+params across the stored runs: a point per run that has it, and its shifts. */
public record HistorySeries(BenchmarkKey key, String unit, List<Point> points, List<ChangePoint> changePoints) {
    public HistorySeries {
        points = List.copyOf(points);
        changePoints = List.copyOf(changePoints);
    }

    /**
     * @param runIndex position of the run in the history (0 = oldest)
     * @param value    the run's median per-iteration score (JMH's score when it had no rawData)
     */
    public record Point(int runIndex, String runLabel, Instant time, double value) {
    }
}
