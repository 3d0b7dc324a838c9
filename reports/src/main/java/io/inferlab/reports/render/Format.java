package io.inferlab.reports.render;

import java.util.Locale;

import io.inferlab.reports.stats.ConfidenceInterval;

/** Number formatting shared by the HTML, Markdown and console tables. */
public final class Format {
    private Format() {
    }

    /** About four significant digits, thousands grouped; a dash for NaN. */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "-∞";
        }
        double a = Math.abs(v);
        if (a >= 10_000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        return a == 0 ? "0" : String.format(Locale.ROOT, "%.4g", v);
    }

    /** A signed percentage with one decimal: {@code +3.2%}. */
    public static String percent(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%+.1f%%", v);
    }

    /** An unsigned percentage: {@code 4.1%}. */
    public static String plainPercent(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", v);
    }

    public static String pValue(double p) {
        if (Double.isNaN(p)) {
            return "–";
        }
        return p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    /** "p < 0.001" or "p = 0.012", for prose. */
    public static String pClause(double p) {
        String v = pValue(p);
        return v.startsWith("<") ? "p " + v.charAt(0) + " " + v.substring(1) : "p = " + v;
    }

    public static String ratio(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2fx", v);
    }

    public static String interval(ConfidenceInterval ci, java.util.function.DoubleFunction<String> f) {
        return ci.isKnown() ? "[" + f.apply(ci.lower()) + ", " + f.apply(ci.upper()) + "]" : "–";
    }

    public static String level(ConfidenceInterval ci) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * ci.level());
    }
}
