package io.inferlab.reports.render;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.inferlab.api.AtomicFiles;
import io.inferlab.reports.Report;
import io.inferlab.reports.compare.BackendComparison;
import io.inferlab.reports.compare.BaselineComparison;
import io.inferlab.reports.history.ChangePoint;
import io.inferlab.reports.jmh.BenchmarkKey;
import io.inferlab.reports.jmh.BenchmarkResult;
import io.inferlab.reports.jmh.Metric;
import io.inferlab.reports.stats.SampleStatistics;

/**
 * The report's tables as CSV (RFC 4180, with a header row) for spreadsheets and scripts:
 * {@code results.csv} always, {@code comparison.csv}, {@code backends.csv} and
 * {@code change-points.csv} when the report has them. Params are one column, {@code k=v;k=v}.
 */
public final class CsvExport {
    private static final CsvMapper CSV = new CsvMapper();

    private CsvExport() {
    }

    @JsonPropertyOrder({"benchmark", "mode", "params", "metric", "unit", "n", "mean", "meanCiLow", "meanCiHigh", "median",
        "medianCiLow", "medianCiHigh", "sd", "cv", "jmhScore", "jmhScoreError"})
    record ResultRow(String benchmark, String mode, String params, String metric, String unit, int n, double mean, double meanCiLow,
            double meanCiHigh, double median, double medianCiLow, double medianCiHigh, double sd, double cv, double jmhScore,
            double jmhScoreError) {
    }

    @JsonPropertyOrder({"benchmark", "mode", "params", "unit", "baselineN", "baselineMedian", "currentN", "currentMedian",
        "changePercent", "changeCiLowPercent", "changeCiHighPercent", "regressionPercent", "pMannWhitney", "pWelch", "hedgesG",
        "verdict", "failsGate"})
    record ComparisonRow(String benchmark, String mode, String params, String unit, int baselineN, double baselineMedian, int currentN,
            double currentMedian, double changePercent, double changeCiLowPercent, double changeCiHighPercent, double regressionPercent,
            double pMannWhitney, double pWelch, double hedgesG, String verdict, boolean failsGate) {
    }

    @JsonPropertyOrder({"benchmark", "mode", "params", "backendParam", "backend", "reference", "speedup", "speedupCiLow",
        "speedupCiHigh", "pMannWhitney"})
    record BackendRow(String benchmark, String mode, String params, String backendParam, String backend, String reference,
            double speedup, double speedupCiLow, double speedupCiHigh, double pMannWhitney) {
    }

    @JsonPropertyOrder({"benchmark", "mode", "params", "run", "time", "before", "after", "shiftPercent", "pValue", "worse"})
    record ChangePointRow(String benchmark, String mode, String params, String run, String time, double before, double after,
            double shiftPercent, double pValue, boolean worse) {
    }

    public static List<Path> write(Report r, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        List<ResultRow> results = new ArrayList<>();
        for (BenchmarkResult b : r.current().results()) {
            SampleStatistics s = r.currentStatistics().get(b.key());
            Metric p = b.primary();
            results.add(new ResultRow(b.key().benchmark(), b.mode().label(), params(b.key()), Metric.PRIMARY, p.unit(), s.n(), s.mean(),
                    s.meanInterval().lower(), s.meanInterval().upper(), s.median(), s.medianInterval().lower(),
                    s.medianInterval().upper(), s.standardDeviation(), s.coefficientOfVariation(), p.score(), p.scoreError()));
            for (Metric m : b.secondaries()) {
                results.add(new ResultRow(b.key().benchmark(), b.mode().label(), params(b.key()), m.name(), m.unit(), m.samples().length,
                        Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, m.score(),
                        m.scoreError()));
            }
        }
        files.add(write(dir.resolve("results.csv"), ResultRow.class, results));
        if (r.comparison().isPresent()) {
            double gate = r.comparison().get().policy().maxRegressionPercent();
            List<ComparisonRow> rows = new ArrayList<>();
            for (BaselineComparison c : r.comparison().get().rows()) {
                rows.add(new ComparisonRow(c.key().benchmark(), c.key().mode().label(), params(c.key()), c.unit(), c.baseline().n(),
                        c.baseline().median(), c.current().n(), c.current().median(), c.changePercent(), c.changeInterval().lower(),
                        c.changeInterval().upper(), c.regressionPercent(), c.pMannWhitney(), c.pWelch(), c.effectSize(),
                        c.verdict().label(), c.failsGate(gate)));
            }
            files.add(write(dir.resolve("comparison.csv"), ComparisonRow.class, rows));
        }
        if (!r.backends().isEmpty()) {
            List<BackendRow> rows = new ArrayList<>();
            for (BackendComparison b : r.backends()) {
                rows.add(new BackendRow(b.group().benchmark(), b.group().mode().label(), params(b.group()), b.param(), b.candidate(),
                        b.reference(), b.speedup(), b.speedupInterval().lower(), b.speedupInterval().upper(), b.pMannWhitney()));
            }
            files.add(write(dir.resolve("backends.csv"), BackendRow.class, rows));
        }
        if (r.history().isPresent()) {
            List<ChangePointRow> rows = new ArrayList<>();
            for (ChangePoint c : r.history().get().changePoints()) {
                rows.add(new ChangePointRow(c.key().benchmark(), c.key().mode().label(), params(c.key()), c.runLabel(),
                        c.time().toString(), c.before(), c.after(), c.shiftPercent(), c.pValue(), c.regression()));
            }
            files.add(write(dir.resolve("change-points.csv"), ChangePointRow.class, rows));
        }
        return files;
    }

    private static String params(BenchmarkKey key) {
        return key.paramsLabel().replace(", ", ";");
    }

    private static <T> Path write(Path file, Class<T> type, List<T> rows) throws IOException {
        CsvSchema schema = CSV.schemaFor(type).withHeader();
        return AtomicFiles.write(file, tmp -> CSV.writer(schema).writeValue(tmp.toFile(), rows));
    }
}
