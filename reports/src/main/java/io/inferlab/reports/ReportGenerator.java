package io.inferlab.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.inferlab.api.AtomicFiles;
import io.inferlab.reports.chart.ChangeChart;
import io.inferlab.reports.chart.ChartImage;
import io.inferlab.reports.chart.HistoryCharts;
import io.inferlab.reports.chart.LatencyChart;
import io.inferlab.reports.chart.Png;
import io.inferlab.reports.chart.RooflineChart;
import io.inferlab.reports.chart.ScoreCharts;
import io.inferlab.reports.compare.BackendComparator;
import io.inferlab.reports.compare.BackendComparison;
import io.inferlab.reports.compare.BaselineComparator;
import io.inferlab.reports.compare.ComparisonPolicy;
import io.inferlab.reports.compare.ComparisonReport;
import io.inferlab.reports.history.ChangePointDetector;
import io.inferlab.reports.history.HistoryAnalyzer;
import io.inferlab.reports.history.HistoryReport;
import io.inferlab.reports.history.RunHistory;
import io.inferlab.reports.jmh.BenchmarkKey;
import io.inferlab.reports.jmh.BenchmarkResult;
import io.inferlab.reports.jmh.JmhResultReader;
import io.inferlab.reports.jmh.JmhRun;
import io.inferlab.reports.render.CsvExport;
import io.inferlab.reports.render.HtmlReport;
import io.inferlab.reports.render.MarkdownSummary;
import io.inferlab.reports.roofline.RooflineAnalyzer;
import io.inferlab.reports.roofline.RooflineReport;
import io.inferlab.reports.stats.RunStatistics;

/**
 * Turns a JMH result file (optionally a baseline and a result store) into a report: statistics,
 * comparisons, history, charts, then {@code index.html}, {@code summary.md}, CSV files and the
 * PNGs under {@code charts/}.
 */
public final class ReportGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(ReportGenerator.class);
    /** Change points need two runs at each level. */
    private static final int MIN_RUNS_PER_LEVEL = 2;

    private final JmhResultReader reader = new JmhResultReader();

    /** Reads the inputs and computes the whole report, charts included, without writing anything. */
    public Report build(ReportOptions options) {
        ComparisonPolicy policy = options.policy();
        long start = System.nanoTime();
        // Only a head start: a failure here resurfaces, with its real cause, when the charts are drawn.
        CompletableFuture<Void> chartsReady = CompletableFuture.runAsync(Png::warmUp).exceptionally(e -> null);
        JmhRun current = reader.read(options.input());
        Optional<JmhRun> baseline = options.baseline().map(reader::read);
        long read = System.nanoTime();
        RunStatistics currentStats = RunStatistics.of(current, policy.bootstrap());

        List<String> warnings = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        current.skipped().forEach(s -> skipped.add(current.file().getFileName() + ": " + s));
        current.notes().forEach(warnings::add);
        for (BenchmarkResult r : current.results()) {
            currentStats.warnings(r.key()).forEach(w -> warnings.add(r.key().label() + ": " + w));
        }

        Optional<ComparisonReport> comparison = Optional.empty();
        if (baseline.isPresent()) {
            JmhRun base = baseline.get();
            base.skipped().forEach(s -> skipped.add("baseline " + base.file().getFileName() + ": " + s));
            base.notes().forEach(n -> warnings.add("baseline: " + n));
            ComparisonReport c = new BaselineComparator(policy).compare(base,
                    RunStatistics.withoutMedianIntervals(base, policy.bootstrap()), current, currentStats);
            for (BenchmarkKey k : c.onlyInBaseline()) {
                skipped.add("only in the baseline, not compared: " + k.label());
            }
            for (BenchmarkKey k : c.onlyInCurrent()) {
                skipped.add("not in the baseline, not compared: " + k.label());
            }
            c.skipped().forEach(s -> skipped.add("not compared: " + s));
            comparison = Optional.of(c);
        }

        Optional<HistoryReport> history = options.historyDir().map(dir -> new HistoryAnalyzer(
                new ChangePointDetector(policy.alpha(), policy.minChangePercent(), MIN_RUNS_PER_LEVEL))
                .analyze(RunHistory.load(dir, reader), Optional.of(current)));
        history.ifPresent(h -> {
            h.skipped().forEach(s -> skipped.add("history: " + s));
            if (h.runs().size() < 2 * MIN_RUNS_PER_LEVEL) {
                warnings.add("history: only " + h.runs().size() + " run(s); change points need at least "
                        + MIN_RUNS_PER_LEVEL + " runs on each side of a shift");
            }
        });

        RooflineReport roofline = new RooflineAnalyzer().analyze(current);
        roofline.notes().forEach(warnings::add);
        List<BackendComparison> backends = new BackendComparator(policy).compare(current);
        long analysed = System.nanoTime();

        chartsReady.join();
        List<ChartImage> charts = new ArrayList<>();
        charts.addAll(ScoreCharts.render(current, currentStats, options.maxCharts()));
        charts.addAll(LatencyChart.render(current));
        comparison.flatMap(ChangeChart::render).ifPresent(charts::add);
        history.ifPresent(h -> charts.addAll(HistoryCharts.render(h, options.maxCharts())));
        RooflineChart.render(roofline).ifPresent(charts::add);
        long drawn = System.nanoTime();
        LOG.debug("report of {} results: read {} ms, statistics and comparisons {} ms, {} charts {} ms", current.results().size(),
                (read - start) / 1_000_000, (analysed - read) / 1_000_000, charts.size(), (drawn - analysed) / 1_000_000);

        return new Report(options.title(), Instant.now(), current, currentStats, baseline, comparison, backends, history, roofline,
                charts, warnings, skipped, policy);
    }

    /** Builds the report and writes it to the output directory. */
    public ReportOutcome generate(ReportOptions options) {
        Report report = build(options);
        Path out = options.outDir();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ReportInputException(out, "exists and is not a directory");
        }
        try {
            Files.createDirectories(out.resolve("charts"));
        } catch (FileAlreadyExistsException e) {
            throw new ReportInputException(out, "exists and is not a directory", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the report directory " + out + ": " + e.getMessage(), e);
        }
        try {
            List<Path> pngs = new ArrayList<>();
            for (ChartImage c : report.charts()) {
                pngs.add(AtomicFiles.writeBytes(out.resolve("charts").resolve(c.fileName()), c.png()));
            }
            // Atomic writes: a report regenerated over an old one, killed half-way, leaves each
            // file either old or new and complete, never truncated.
            Path html = AtomicFiles.writeString(out.resolve("index.html"), HtmlReport.render(report));
            Path md = AtomicFiles.writeString(out.resolve("summary.md"), MarkdownSummary.render(report));
            List<Path> csv = CsvExport.write(report, out);
            LOG.debug("report written to {}: {} charts, {} CSV files", out, pngs.size(), csv.size());
            return new ReportOutcome(report, html, md, csv, pngs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + out + ": " + e.getMessage(), e);
        }
    }
}
