package io.inferlab.cuda.check;

/**
 * Compares a result with its reference: the largest absolute difference against a tolerance
 * scaled by the reference's magnitude ({@code tol * max(1, max |ref|)}), since float sums in a
 * different order differ in proportion to the values summed. NaN or infinity anywhere fails.
 */
public record Comparison(double maxAbsError, double maxAbsReference, double allowed, int worstIndex) {

    public boolean passed() {
        return maxAbsError <= allowed;
    }

    public static Comparison of(float[] reference, float[] actual, int n, double relTolerance) {
        double maxErr = 0;
        double maxRef = 0;
        int worst = -1;
        for (int i = 0; i < n; i++) {
            double ref = reference[i];
            double got = actual[i];
            double err = Double.isFinite(ref) && Double.isFinite(got) ? Math.abs(ref - got) : Double.POSITIVE_INFINITY;
            if (err > maxErr || worst < 0) {
                maxErr = Math.max(maxErr, err);
                worst = err >= maxErr ? i : worst;
            }
            if (Double.isFinite(ref)) {
                maxRef = Math.max(maxRef, Math.abs(ref));
            }
        }
        return new Comparison(maxErr, maxRef, relTolerance * Math.max(1, maxRef), worst);
    }

    public String describe() {
        return String.format(java.util.Locale.ROOT, "max |diff| %.3g (allowed %.3g, max |ref| %.3g, worst at %d)",
                maxAbsError, allowed, maxAbsReference, worstIndex);
    }
}
