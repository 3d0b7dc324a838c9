package io.inferlab.reports.chart;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import io.inferlab.reports.roofline.RooflinePoint;
import io.inferlab.reports.roofline.RooflineReport;

/** Decode tokens/s beside the memory-bandwidth roofline of the host, per decode result. */
public final class RooflineChart {
    private RooflineChart() {
    }

    public static Optional<ChartImage> render(RooflineReport roofline) {
        if (roofline.points().isEmpty()) {
            return Optional.empty();
        }
        List<RooflinePoint> shown = roofline.points().stream().limit(Png.MAX_CATEGORIES).toList();
        // Only the parameters that differ between the bars name them: the full parameter list (with
        // the model's path) is too long for an axis label, and XChart drops labels that overlap.
        Set<String> varying = shown.stream().flatMap(p -> p.key().params().keySet().stream())
                .filter(k -> shown.stream().map(p -> p.key().params().get(k)).distinct().count() > 1)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> labels = shown.stream().map(p -> String.format(Locale.ROOT, "%s (%.0f%%)",
                varying.isEmpty() ? p.key().shortBenchmark() : varying.stream()
                        .map(k -> p.key().params().get(k)).collect(Collectors.joining(" ")),
                100 * p.efficiency())).toList();
        CategoryChart chart = new CategoryChartBuilder().width(Png.WIDTH).height(Png.HEIGHT)
                .title("Decode efficiency against the memory-bandwidth roofline").xAxisTitle("decode result (efficiency)")
                .yAxisTitle("tokens/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(labels.size() > 4 ? 30 : 0);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.addSeries("measured", labels, shown.stream().map(RooflinePoint::tokensPerSecond).toList());
        chart.addSeries("roofline", labels, shown.stream().map(RooflinePoint::rooflineTokensPerSecond).toList());
        String caption = "Roofline = host read bandwidth / weight bytes read per decoded token (from the run metadata);"
                + " the percentage is the share of it reached"
                + (roofline.points().size() > shown.size() ? "; first " + shown.size() + " of " + roofline.points().size() + " shown" : "")
                + ".";
        return Optional.of(new ChartImage(ChartImage.Kind.ROOFLINE, "decode-roofline.png",
                "Decode efficiency against the memory-bandwidth roofline", caption,
                Png.encode(chart)));
    }
}
