package io.inferlab.reports.chart;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import io.inferlab.reports.compare.BackendComparator;
import io.inferlab.reports.jmh.BenchmarkKey;
import io.inferlab.reports.jmh.BenchmarkResult;
import io.inferlab.reports.jmh.JmhRun;
import io.inferlab.reports.stats.RunStatistics;
import io.inferlab.reports.stats.SampleStatistics;

/**
 * Grouped bars with error bars, one chart per benchmark method and mode: a bar group per
 * combination of the other params (the prompt suite, for example), a bar per backend or
 * acceleration type within it. Bars are means with 95% t-interval error bars; results without raw
 * samples show JMH's score and its own error.
 */
public final class ScoreCharts {
    private ScoreCharts() {
    }

    public static List<ChartImage> render(JmhRun run, RunStatistics stats, int maxCharts) {
        Map<String, List<BenchmarkResult>> byMethod = new LinkedHashMap<>();
        for (BenchmarkResult r : run.results()) {
            byMethod.computeIfAbsent(r.key().benchmark() + " " + r.mode().label() + " " + r.primary().unit(), k -> new ArrayList<>()).add(r);
        }
        List<List<BenchmarkResult>> groups = byMethod.values().stream().limit(maxCharts).toList();
        // Charts are independent and drawing dominates a large report: use the cores (order kept).
        return IntStream.range(0, groups.size()).parallel().mapToObj(i -> chart(groups.get(i), stats, i)).toList();
    }

    /**
     * The parameters that name a group of bars: those that vary between the results, except the
     * backend parameter (the bars within a group) and parameters that only follow it (the
     * acceleration type of a backend). Constant ones (model path, threads) would only make the
     * axis labels too long to draw.
     */
    static List<String> groupParams(List<BenchmarkResult> results, Optional<String> backendParam) {
        return results.stream().flatMap(r -> r.key().params().keySet().stream()).distinct()
                .filter(k -> backendParam.map(b -> !b.equals(k)).orElse(true))
                .filter(k -> results.stream().map(r -> r.key().params().get(k)).distinct().count() > 1)
                .filter(k -> backendParam.isEmpty() || results.stream()
                        .collect(java.util.stream.Collectors.groupingBy(r -> r.key().params().getOrDefault(backendParam.get(), ""),
                                java.util.stream.Collectors.mapping(r -> String.valueOf(r.key().params().get(k)),
                                        java.util.stream.Collectors.toSet())))
                        .values().stream().anyMatch(v -> v.size() > 1))
                .sorted().toList();
    }

    private static ChartImage chart(List<BenchmarkResult> results, RunStatistics stats, int index) {
        BenchmarkKey first = results.getFirst().key();
        Optional<String> backendParam = BackendComparator.backendParam(results);
        Set<String> categories = new LinkedHashSet<>();
        Set<String> series = new LinkedHashSet<>();
        Map<String, Map<String, double[]>> values = new LinkedHashMap<>();
        List<String> groupParams = groupParams(results, backendParam);
        for (BenchmarkResult r : results) {
            String category = groupParams.isEmpty() ? "(no params)" : groupParams.stream()
                    .map(k -> k + "=" + r.key().params().get(k)).collect(java.util.stream.Collectors.joining(", "));
            String name = backendParam.map(p -> r.key().params().getOrDefault(p, "?")).orElse("score");
            SampleStatistics s = stats.get(r.key());
            double value = s.n() > 0 ? s.mean() : r.primary().score();
            double error = s.meanInterval().isKnown() ? (s.meanInterval().upper() - s.meanInterval().lower()) / 2
                    : (Double.isFinite(r.primary().scoreError()) ? r.primary().scoreError() : 0);
            categories.add(category);
            series.add(name);
            values.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(category, new double[] {value, error});
        }
        List<String> shown = categories.stream().limit(Png.MAX_CATEGORIES).toList();
        String unit = results.getFirst().primary().unit();
        String title = first.shortBenchmark() + " (" + first.mode().label() + "): " + unit
                + backendParam.map(p -> " by " + p).orElse("");
        CategoryChart chart = new CategoryChartBuilder().width(Png.WIDTH).height(Png.HEIGHT).title(title)
                .xAxisTitle(shown.size() == 1 && shown.getFirst().equals("(no params)") ? "" : "params")
                .yAxisTitle(unit + (first.mode().higherIsBetter() ? " (higher is better)" : " (lower is better)")).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        chart.getStyler().setXAxisLabelRotation(shown.size() > 4 ? 30 : 0);
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        for (String name : series) {
            List<Double> ys = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (String c : shown) {
                double[] v = values.get(name).get(c);
                // A backend missing from a group gets an empty (zero-height) bar: XChart's error
                // bars cannot take the null that would otherwise leave the slot out.
                ys.add(v == null ? 0.0 : v[0]);
                errors.add(v == null ? 0.0 : v[1]);
            }
            chart.addSeries(name, shown, ys, errors);
        }
        String caption = "Mean of the per-iteration scores with its 95% t-interval"
                + (categories.size() > shown.size() ? "; first " + shown.size() + " of " + categories.size() + " param groups shown" : "")
                + ".";
        String file = String.format("score-%02d-%s.png", index + 1, Png.slug(first.shortBenchmark() + "-" + first.mode().label()));
        return new ChartImage(ChartImage.Kind.SCORE, file,
                title, caption, Png.encode(chart));
    }
}
