package io.inferlab.reports.compare;

import java.util.List;
import java.util.Locale;

/**
 * The regression gate's verdict for a nightly job: failed when at least one benchmark regressed
 * significantly by more than {@code maxRegressionPercent}.
 */
public record GateResult(double maxRegressionPercent, List<BaselineComparison> regressions, int compared) {
    public GateResult {
        regressions = List.copyOf(regressions);
    }

    public boolean failed() {
        return !regressions.isEmpty();
    }

    /** One line for a console or a CI job page. */
    public String summary() {
        if (!failed()) {
            return String.format(Locale.ROOT, "gate passed: no significant regression above %s%% in %d compared benchmarks",
                    fmt(maxRegressionPercent), compared);
        }
        return String.format(Locale.ROOT, "gate FAILED: %d of %d benchmarks regressed significantly by more than %s%%",
                regressions.size(), compared, fmt(maxRegressionPercent));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
