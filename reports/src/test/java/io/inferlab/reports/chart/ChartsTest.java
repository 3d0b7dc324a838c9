package io.inferlab.reports.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.reports.JmhFixtures;
import io.inferlab.reports.Scenarios;
import io.inferlab.reports.compare.BaselineComparator;
import io.inferlab.reports.compare.ComparisonPolicy;
import io.inferlab.reports.history.ChangePointDetector;
import io.inferlab.reports.history.HistoryAnalyzer;
import io.inferlab.reports.history.RunHistory;
import io.inferlab.reports.jmh.JmhResultReader;
import io.inferlab.reports.jmh.JmhRun;
import io.inferlab.reports.meta.RunMetadataFiles;
import io.inferlab.reports.roofline.RooflineAnalyzer;
import io.inferlab.reports.stats.RunStatistics;

/** Every chart kind renders a real PNG from real (or store-simulated) results. */
class ChartsTest {
    @TempDir
    Path dir;

    private final JmhResultReader reader = new JmhResultReader();
    private final ComparisonPolicy policy = ComparisonPolicy.DEFAULT;
    private JmhRun base;
    private JmhRun current;

    @BeforeEach
    void read() {
        base = reader.read(JmhFixtures.copy(JmhFixtures.BASELINE, dir));
        current = reader.read(JmhFixtures.copy(JmhFixtures.CURRENT_OPENCL_SLOWER, dir));
    }

    @Test
    void scoreChartsGroupBySuiteWithABarPerBackend() {
        List<ChartImage> charts = ScoreCharts.render(base, RunStatistics.of(base, policy.bootstrap()), 12);
        assertEquals(4, charts.size(), "decode, prefill, ttft, coldStart");
        assertEquals("DecodeBench.decode (thrpt): ops/s by backend", charts.getFirst().title());
        charts.forEach(c -> {
            assertEquals(ChartImage.Kind.SCORE, c.kind());
            PngAssert.assertRealChart(c.png());
        });
        assertEquals(2, ScoreCharts.render(base, RunStatistics.of(base, policy.bootstrap()), 2).size(), "capped");
    }

    @Test
    void latencyChartShowsPercentilesOfSampleMode() {
        List<ChartImage> charts = LatencyChart.render(base);
        assertEquals(1, charts.size());
        assertTrue(charts.getFirst().title().contains("us/op"));
        PngAssert.assertRealChart(charts.getFirst().png());
    }

    @Test
    void changeChartColoursRegressionsRed() {
        var comparison = new BaselineComparator(policy).compare(base, RunStatistics.of(base, policy.bootstrap()), current,
                RunStatistics.of(current, policy.bootstrap()));
        ChartImage chart = ChangeChart.render(comparison).orElseThrow();
        BufferedImage image = PngAssert.assertRealChart(chart.png());
        assertTrue(PngAssert.hasColour(image, 0xc62828), "a red (regressed) bar");
    }

    @Test
    void historyChartMarksTheChangePoint() {
        Path store = Scenarios.store(dir.resolve("store"), 8);
        var history = new HistoryAnalyzer(new ChangePointDetector(0.01, 2, 2)).analyze(RunHistory.load(store, reader), Optional.empty());
        List<ChartImage> charts = HistoryCharts.render(history, 3);
        assertEquals(3, charts.size());
        assertTrue(charts.getFirst().caption().contains("Shift of -"), "the series with a change point comes first: " + charts.getFirst().caption());
        BufferedImage image = PngAssert.assertRealChart(charts.getFirst().png());
        assertTrue(PngAssert.hasColour(image, 0xc62828), "the red change-point marker");
        assertFalse(charts.get(1).caption().contains("Shift"));
    }

    @Test
    void rooflineChartNeedsMetadata() {
        assertTrue(RooflineChart.render(new RooflineAnalyzer().analyze(base)).isEmpty());
        Path file = JmhFixtures.copy(JmhFixtures.BASELINE, dir.resolve("with-meta"));
        RunMetadataFiles.writeBeside(file, Scenarios.rooflineMetadata(20e9, 10_000));
        ChartImage chart = RooflineChart.render(new RooflineAnalyzer().analyze(reader.read(file))).orElseThrow();
        PngAssert.assertRealChart(chart.png());
        assertTrue(chart.title().contains("roofline"));
    }
}
