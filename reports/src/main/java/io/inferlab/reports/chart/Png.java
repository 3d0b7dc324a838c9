package io.inferlab.reports.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** PNG encoding and the shared look of every chart. */
public final class Png {
    static final int WIDTH = 960;
    static final int HEIGHT = 540;
    /** More categories than this make unreadable bars; the rest are listed in the caption. */
    static final int MAX_CATEGORIES = 30;

    static {
        // Charts are drawn off screen; never try to reach a display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Png() {
    }

    /**
     * Draws and encodes a tiny chart, so Java2D's start-up (fonts, rendering pipeline, PNG
     * encoder: about a second on a cold JVM) can run on another core while the JSON is parsed.
     */
    public static void warmUp() {
        org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(64).height(48).title("warm-up").build();
        chart.addSeries("s", java.util.List.of("a"), java.util.List.of(1.0), java.util.List.of(0.1));
        encode(chart);
    }

    static byte[] encode(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + chart.getTitle() + "' as PNG", e);
        }
    }

    /** A file-name-safe slug: lower case letters, digits and dashes. */
    static String slug(String s) {
        String slug = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return slug.length() > 60 ? slug.substring(0, 60) : slug;
    }
}
