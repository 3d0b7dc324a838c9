package io.inferlab.reports.history;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.math3.stat.descriptive.rank.Median;

import io.inferlab.reports.jmh.BenchmarkKey;
import io.inferlab.reports.jmh.BenchmarkResult;
import io.inferlab.reports.jmh.JmhRun;
import io.inferlab.reports.meta.RunMetadata;

/**
 * Builds a series per benchmark+params from the stored runs (plus the current run, when it is not
 * already stored) and names the runs where each series shifted.
 */
public final class HistoryAnalyzer {
    private final ChangePointDetector detector;

    public HistoryAnalyzer(ChangePointDetector detector) {
        this.detector = detector;
    }

    public HistoryReport analyze(RunHistory history, Optional<JmhRun> current) {
        List<HistoricalRun> runs = new ArrayList<>(history.runs());
        current.filter(c -> runs.stream().noneMatch(r -> sameFile(r.run().file(), c.file())))
                .ifPresent(c -> runs.add(new HistoricalRun("current", c.metadata().map(m -> m.time().toInstant()).orElse(Instant.now()),
                        c.metadata().map(RunMetadata::gitCommit).orElse(null), c)));

        Map<BenchmarkKey, List<HistorySeries.Point>> points = new LinkedHashMap<>();
        Map<BenchmarkKey, String> units = new LinkedHashMap<>();
        Median median = new Median();
        for (int i = 0; i < runs.size(); i++) {
            HistoricalRun run = runs.get(i);
            for (BenchmarkResult r : run.run().results()) {
                String unit = units.computeIfAbsent(r.key(), k -> r.primary().unit());
                if (!unit.equals(r.primary().unit())) {
                    continue; // a unit change breaks the series; the comparison section reports it
                }
                double value = r.primary().hasSamples() ? median.evaluate(r.primary().samples()) : r.primary().score();
                points.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new HistorySeries.Point(i, run.label(), run.time(), value));
            }
        }
        List<HistorySeries> series = new ArrayList<>();
        for (var e : points.entrySet()) {
            List<HistorySeries.Point> ps = e.getValue();
            double[] values = ps.stream().mapToDouble(HistorySeries.Point::value).toArray();
            List<ChangePoint> shifts = new ArrayList<>();
            for (ChangePointDetector.Shift s : detector.detect(values)) {
                HistorySeries.Point at = ps.get(s.index());
                boolean worse = e.getKey().mode().higherIsBetter() ? s.shiftPercent() < 0 : s.shiftPercent() > 0;
                shifts.add(new ChangePoint(e.getKey(), at.runLabel(), at.time(), s.before(), s.after(), s.shiftPercent(), s.pValue(), worse));
            }
            series.add(new HistorySeries(e.getKey(), units.get(e.getKey()), ps, shifts));
        }
        return new HistoryReport(runs, series, history.skipped());
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}
