package io.inferlab.reports.compare;

import java.util.Locale;

/** The outcome of comparing a benchmark with its baseline. */
public enum Verdict {
    /** Significantly better by at least the minimum meaningful change. */
    IMPROVED,
    /** Significantly worse by at least the minimum meaningful change. */
    REGRESSED,
    /** No significant change, or one too small to matter. */
    UNCHANGED,
    /** Too few samples on a side to test at all. */
    INCONCLUSIVE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
