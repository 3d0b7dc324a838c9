package io.inferlab.reports.jmh;

import java.util.Arrays;
import java.util.Optional;

/**
 * JMH's benchmark modes as written in its JSON ({@code Mode.shortLabel()}). Throughput is better
 * when higher; the three time modes are better when lower.
 */
public enum JmhMode {
    THROUGHPUT("thrpt", true),
    AVERAGE_TIME("avgt", false),
    SAMPLE_TIME("sample", false),
    SINGLE_SHOT_TIME("ss", false);

    private final String label;
    private final boolean higherIsBetter;

    JmhMode(String label, boolean higherIsBetter) {
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }

    /** The short label JMH writes ({@code thrpt}, {@code avgt}, {@code sample}, {@code ss}). */
    public String label() {
        return label;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The mode for a JSON label, empty for anything JMH does not write. */
    public static Optional<JmhMode> fromLabel(String label) {
        return Arrays.stream(values()).filter(m -> m.label.equals(label)).findFirst();
    }
}
