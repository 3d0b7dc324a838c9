package io.inferlab.reports.chart;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import io.inferlab.reports.compare.BaselineComparison;
import io.inferlab.reports.compare.ComparisonReport;
import io.inferlab.reports.compare.Verdict;

/**
 * Baseline versus current: one bar per benchmark, its performance change in percent (up is
 * better, whatever the mode), coloured by verdict, worst first.
 */
public final class ChangeChart {
    private static final int MAX_BARS = 40;

    private ChangeChart() {
    }

    public static Optional<ChartImage> render(ComparisonReport report) {
        if (report.rows().isEmpty()) {
            return Optional.empty();
        }
        List<BaselineComparison> rows = report.rows().stream()
                .filter(r -> Double.isFinite(r.regressionPercent()))
                .sorted(Comparator.comparingDouble(BaselineComparison::regressionPercent).reversed())
                .limit(MAX_BARS).toList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<String> labels = rows.stream().map(r -> r.key().compactLabel()).toList();
        CategoryChart chart = new CategoryChartBuilder().width(Png.WIDTH).height(Png.HEIGHT + 120)
                .title("Change against the baseline").xAxisTitle("benchmark")
                .yAxisTitle("performance change, % (up = better)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisLabelRotation(labels.size() > 3 ? 45 : 0);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        List<Color> colors = new ArrayList<>();
        for (Verdict v : Verdict.values()) {
            List<Double> ys = new ArrayList<>();
            boolean any = false;
            for (BaselineComparison r : rows) {
                boolean mine = r.verdict() == v;
                any |= mine;
                ys.add(mine ? -r.regressionPercent() : 0.0);
            }
            if (any) {
                chart.addSeries(v.label(), labels, ys);
                colors.add(switch (v) {
                    case IMPROVED -> new Color(0x2e7d32);
                    case REGRESSED -> new Color(0xc62828);
                    case UNCHANGED -> new Color(0x9e9e9e);
                    case INCONCLUSIVE -> new Color(0xf9a825);
                });
            }
        }
        chart.getStyler().setSeriesColors(colors.toArray(Color[]::new));
        String caption = "Median change per benchmark; throughput changes as measured, time changes inverted so that up is"
                + " always faster" + (report.rows().size() > rows.size() ? "; the " + rows.size() + " largest regressions of "
                        + report.rows().size() + " shown" : "") + ".";
        return Optional.of(new ChartImage(ChartImage.Kind.CHANGE, "change-vs-baseline.png", "Change against the baseline", caption,
                Png.encode(chart)));
    }
}
