package io.inferlab.reports.history;

import java.util.List;

/** The history section of a report: the runs, the series and the shifts found in them. */
public record HistoryReport(List<HistoricalRun> runs, List<HistorySeries> series, List<String> skipped) {
    public HistoryReport {
        runs = List.copyOf(runs);
        series = List.copyOf(series);
        skipped = List.copyOf(skipped);
    }

    public List<ChangePoint> changePoints() {
        return series.stream().flatMap(s -> s.changePoints().stream()).toList();
    }
}
