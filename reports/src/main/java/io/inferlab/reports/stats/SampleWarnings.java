package io.inferlab.reports.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** When a sample is too small or too noisy for its numbers to be trusted. */
public final class SampleWarnings {
    /** Below this many samples, intervals are wide and tests have little power. */
    public static final int MIN_SAMPLES = 10;
    /**
     * Below this many samples per side no verdict is given: with 4 against 4, even completely
     * separated samples give a Mann-Whitney p-value above 0.01.
     */
    public static final int MIN_SAMPLES_FOR_TEST = 5;
    /** Coefficient of variation above which a result is called noisy (5%). */
    public static final double MAX_CV = 0.05;

    private SampleWarnings() {
    }

    /** The warnings for one sample, empty when it looks fine. */
    public static List<String> of(SampleStatistics s) {
        List<String> w = new ArrayList<>();
        if (s.n() == 0) {
            w.add("no raw samples");
        } else if (s.n() < MIN_SAMPLES) {
            w.add(String.format(Locale.ROOT, "too few samples (%d < %d)", s.n(), MIN_SAMPLES));
        }
        if (s.coefficientOfVariation() > MAX_CV) {
            w.add(String.format(Locale.ROOT, "noisy: CV %.1f%% > %.0f%%", 100 * s.coefficientOfVariation(), 100 * MAX_CV));
        }
        return w;
    }
}
