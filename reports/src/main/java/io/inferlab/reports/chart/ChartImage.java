package io.inferlab.reports.chart;

/**
 * A rendered chart: what kind it is (which report section shows it), a PNG file name unique within
 * a report, its title and a caption that says what it shows and what was left out.
 */
public record ChartImage(Kind kind, String fileName, String title, String caption, byte[] png) {
    /** The report section a chart belongs to. */
    public enum Kind {
        SCORE, LATENCY, CHANGE, HISTORY, ROOFLINE
    }
}
