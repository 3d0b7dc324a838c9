package io.inferlab.reports.chart;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import io.inferlab.reports.history.ChangePoint;
import io.inferlab.reports.history.HistoryReport;
import io.inferlab.reports.history.HistorySeries;

/**
 * A line per benchmark across the stored runs, with every change point marked: a vertical line
 * between the last run of the old level and the first of the new, and a red marker on that first
 * run. Series with change points come first.
 */
public final class HistoryCharts {
    private HistoryCharts() {
    }

    public static List<ChartImage> render(HistoryReport history, int maxCharts) {
        List<HistorySeries> series = history.series().stream().filter(s -> s.points().size() >= 2)
                .sorted(Comparator.comparing((HistorySeries s) -> s.changePoints().isEmpty())).limit(maxCharts).toList();
        return IntStream.range(0, series.size()).parallel().mapToObj(i -> chart(series.get(i), i)).toList();
    }

    private static ChartImage chart(HistorySeries s, int index) {
        String title = "History: " + s.key().label();
        XYChart chart = new XYChartBuilder().width(Png.WIDTH).height(Png.HEIGHT).title(title).xAxisTitle("run (oldest first)")
                .yAxisTitle(s.unit() + " (median)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        double[] x = s.points().stream().mapToDouble(p -> p.runIndex() + 1).toArray();
        double[] y = s.points().stream().mapToDouble(HistorySeries.Point::value).toArray();
        XYSeries line = chart.addSeries("median per run", x, y);
        line.setMarker(SeriesMarkers.CIRCLE);
        if (!s.changePoints().isEmpty()) {
            List<Double> cx = new ArrayList<>();
            List<Double> cy = new ArrayList<>();
            for (ChangePoint c : s.changePoints()) {
                for (HistorySeries.Point p : s.points()) {
                    if (p.runLabel().equals(c.runLabel())) {
                        cx.add(p.runIndex() + 1.0);
                        cy.add(p.value());
                        chart.addAnnotation(new AnnotationLine(p.runIndex() + 0.5, true, false));
                    }
                }
            }
            XYSeries marks = chart.addSeries("change point", cx, cy);
            marks.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            marks.setMarker(SeriesMarkers.DIAMOND);
            marks.setMarkerColor(new Color(0xc62828));
        }
        StringBuilder caption = new StringBuilder("Median per-iteration score of each stored run.");
        for (ChangePoint c : s.changePoints()) {
            caption.append(String.format(java.util.Locale.ROOT, " Shift of %+.1f%% at run %s.", c.shiftPercent(), c.runLabel()));
        }
        String file = String.format("history-%02d-%s.png", index + 1, Png.slug(s.key().shortBenchmark()));
        return new ChartImage(ChartImage.Kind.HISTORY, file, title,
                caption.toString(), Png.encode(chart));
    }
}
