package io.inferlab.reports.roofline;

import java.util.List;

/** The decode results with their roofline, and why any decode result has none. */
public record RooflineReport(List<RooflinePoint> points, List<String> notes) {
    public RooflineReport {
        points = List.copyOf(points);
        notes = List.copyOf(notes);
    }
}
