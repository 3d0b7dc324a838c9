package io.inferlab.reports.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.reports.JmhFixtures;
import io.inferlab.reports.ReportInputException;
import io.inferlab.reports.Scenarios;
import io.inferlab.reports.jmh.JmhResultReader;

/** A simulated result store: eight nightly runs, one benchmark slows down from the fifth on. */
class HistoryAnalyzerTest {
    @TempDir
    Path dir;

    @Test
    void namesTheRunWhereTheSlowedBenchmarkShiftedAndNothingElse() throws Exception {
        Scenarios.store(dir, 8);
        JmhFixtures.write(dir.resolve("broken").resolve("jmh-result.json"), "[{\"benchmark\":");
        Files.writeString(dir.resolve("notes.txt"), "not a result");
        // A run the store is still assembling: hidden, so not read.
        JmhFixtures.copy(JmhFixtures.BASELINE, dir.resolve(".incoming-123"));
        RunHistory history = RunHistory.load(dir, new JmhResultReader());
        assertEquals(8, history.runs().size());
        assertEquals(Scenarios.RUN_NAMES.get(0), history.runs().getFirst().id());
        assertEquals(Scenarios.RUN_NAMES.get(7), history.runs().getLast().id(), "ordered by metadata time, not by name");
        assertEquals(1, history.skipped().size());
        assertTrue(history.skipped().getFirst().contains("broken") && history.skipped().getFirst().contains("truncated"),
                history.skipped().toString());

        HistoryReport report = new HistoryAnalyzer(new ChangePointDetector(0.01, 2.0, 2)).analyze(history, Optional.empty());
        assertEquals(10, report.series().size());
        List<ChangePoint> shifts = report.changePoints();
        assertEquals(1, shifts.size(), shifts.toString());
        ChangePoint c = shifts.getFirst();
        assertEquals("decode", c.key().method());
        assertEquals(Map.of("backend", "CPU", "suite", "quick_qa"), c.key().params());
        assertEquals(Scenarios.RUN_NAMES.get(4) + " (c0ffee4)", c.runLabel());
        assertEquals(OffsetDateTime.parse("2025-06-05T02:00:00Z").toInstant(), c.time());
        assertEquals(-20, c.shiftPercent(), 3);
        assertTrue(c.regression(), "less throughput is worse");
    }

    @Test
    void theCurrentRunIsAppendedUnlessItIsAlreadyStored() {
        Scenarios.store(dir, 4);
        RunHistory history = RunHistory.load(dir, new JmhResultReader());
        var analyzer = new HistoryAnalyzer(new ChangePointDetector(0.01, 2.0, 2));
        var stored = history.runs().getLast().run();
        assertEquals(4, analyzer.analyze(history, Optional.of(stored)).runs().size());
        var outside = new JmhResultReader().read(JmhFixtures.copy(JmhFixtures.BASELINE, dir.resolveSibling(dir.getFileName() + "-cur")));
        HistoryReport withCurrent = analyzer.analyze(history, Optional.of(outside));
        assertEquals(5, withCurrent.runs().size());
        assertEquals("current", withCurrent.runs().getLast().id());
    }

    @Test
    void missingDirectoryIsAnInputError() {
        ReportInputException e = assertThrows(ReportInputException.class, () -> RunHistory.load(dir.resolve("nope"), new JmhResultReader()));
        assertTrue(e.getMessage().contains("history directory not found"), e.getMessage());
    }
}
