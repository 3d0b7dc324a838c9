package io.inferlab.reports.chart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import io.inferlab.reports.jmh.BenchmarkResult;
import io.inferlab.reports.jmh.JmhMode;
import io.inferlab.reports.jmh.JmhRun;

/**
 * Latency percentiles of the sample-mode results (TTFT, ITL and the like): p50, p90, p99 and
 * p99.9 per result, one chart per unit. The axis turns logarithmic when the tail is far above the
 * median, so both stay readable.
 */
public final class LatencyChart {
    /** The percentiles charted, as JMH keys them. */
    public static final double[] PERCENTILES = {50.0, 90.0, 99.0, 99.9};

    private LatencyChart() {
    }

    public static List<ChartImage> render(JmhRun run) {
        Map<String, List<BenchmarkResult>> byUnit = new LinkedHashMap<>();
        for (BenchmarkResult r : run.results()) {
            if (r.mode() == JmhMode.SAMPLE_TIME && !r.primary().percentiles().isEmpty()) {
                byUnit.computeIfAbsent(r.primary().unit(), u -> new ArrayList<>()).add(r);
            }
        }
        List<ChartImage> charts = new ArrayList<>();
        for (var e : byUnit.entrySet()) {
            charts.add(chart(e.getKey(), e.getValue(), charts.size()));
        }
        return charts;
    }

    private static ChartImage chart(String unit, List<BenchmarkResult> results, int index) {
        List<BenchmarkResult> shown = results.stream().limit(Png.MAX_CATEGORIES).toList();
        List<String> labels = shown.stream().map(r -> r.key().compactLabel()).toList();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (BenchmarkResult r : shown) {
            for (double p : PERCENTILES) {
                double v = r.primary().percentile(p);
                if (v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        String title = "Latency percentiles (sample mode), " + unit;
        CategoryChart chart = new CategoryChartBuilder().width(Png.WIDTH).height(Png.HEIGHT).title(title)
                .xAxisTitle("benchmark").yAxisTitle(unit).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(labels.size() > 3 ? 30 : 0);
        boolean log = min > 0 && max / min > 50;
        chart.getStyler().setYAxisLogarithmic(log);
        for (double p : PERCENTILES) {
            List<Double> ys = new ArrayList<>();
            for (BenchmarkResult r : shown) {
                double v = r.primary().percentile(p);
                ys.add(Double.isNaN(v) || (log && v <= 0) ? null : v);
            }
            chart.addSeries("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)), labels, ys);
        }
        String caption = "JMH's percentiles of every sampled operation" + (log ? "; logarithmic axis" : "")
                + (results.size() > shown.size() ? "; first " + shown.size() + " of " + results.size() + " results" : "") + ".";
        String file = String.format("latency-%02d-%s.png", index + 1, Png.slug(unit));
        return new ChartImage(ChartImage.Kind.LATENCY, file, title, caption, Png.encode(chart));
    }
}
