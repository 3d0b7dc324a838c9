package io.inferlab.reports;

import java.nio.file.Path;
import java.util.List;

/** A written report: what it holds and the files it wrote. */
public record ReportOutcome(Report report, Path html, Path markdown, List<Path> csv, List<Path> charts) {
    public ReportOutcome {
        csv = List.copyOf(csv);
        charts = List.copyOf(charts);
    }
}
