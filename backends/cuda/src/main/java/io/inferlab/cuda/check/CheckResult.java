package io.inferlab.cuda.check;

import java.util.Objects;

/**
 * One conformance check's outcome.
 *
 * @param group     "kernel", "logits", "greedy"
 * @param name      what was checked, e.g. "matmul Q4_0 rows=33 cols=160 batch=9"
 * @param maxError  the largest absolute difference found (NaN when not a numeric comparison)
 * @param tolerance the largest allowed (NaN when not numeric)
 * @param detail    what was seen, for a failure what differed
 */
public record CheckResult(String group, String name, boolean passed, double maxError, double tolerance,
                          String detail) {
    public CheckResult {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(name, "name");
        detail = detail == null ? "" : detail;
    }

    /** A check that threw instead of finishing: a failure that names the exception. */
    public static CheckResult crashed(String group, String name, Throwable e) {
        return new CheckResult(group, name, false, Double.NaN, Double.NaN, "failed with " + e);
    }
}
