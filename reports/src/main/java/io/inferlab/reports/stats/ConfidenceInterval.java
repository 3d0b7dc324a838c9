package io.inferlab.reports.stats;

/** A two-sided confidence interval; both bounds NaN when it could not be computed. */
public record ConfidenceInterval(double lower, double upper, double level) {
    public static ConfidenceInterval unknown(double level) {
        return new ConfidenceInterval(Double.NaN, Double.NaN, level);
    }

    public boolean isKnown() {
        return Double.isFinite(lower) && Double.isFinite(upper);
    }

    public boolean contains(double value) {
        return isKnown() && lower <= value && value <= upper;
    }

    /** The interval with both bounds mapped (for example from a ratio to a percent change). */
    public ConfidenceInterval map(java.util.function.DoubleUnaryOperator f) {
        double a = f.applyAsDouble(lower);
        double b = f.applyAsDouble(upper);
        return new ConfidenceInterval(Math.min(a, b), Math.max(a, b), level);
    }
}
