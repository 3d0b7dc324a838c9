package io.inferlab.engine.fuzz;

import java.lang.management.ManagementFactory;

/**
 * Checks that reading one fuzz input allocates no more heap than a bound derived from the input's
 * size. A reader that sizes arrays from counts it has not checked against the bytes left (or
 * that builds per-element strings from unbounded keys) allocates far more than the file holds;
 * this turns that into a finding instead of waiting for an {@link OutOfMemoryError} that needs a
 * much larger input to trigger. Measured with the current thread's allocation counter
 * ({@code com.sun.management.ThreadMXBean}), so other threads do not disturb it.
 * <p>
 * The first run of a code path also allocates for class loading and initialization (the first
 * input measured ~24 MB that way), so an input over the bound is run a second time and only the
 * warm measurement counts: a reader's own over-allocation repeats, class loading does not.
 */
public final class AllocationBound {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long bytesPerInputByte;
    private final long slackBytes;

    /**
     * @param bytesPerInputByte heap bytes allowed per byte of input (object headers make a parsed
     *                          value several times larger than its encoding)
     * @param slackBytes        fixed allowance for exceptions, messages and parser state
     */
    public AllocationBound(long bytesPerInputByte, long slackBytes) {
        this.bytesPerInputByte = bytesPerInputByte;
        this.slackBytes = slackBytes;
    }

    /** The bound for an input of {@code inputBytes}. */
    public long limit(long inputBytes) {
        return inputBytes * bytesPerInputByte + slackBytes;
    }

    /**
     * Runs {@code body} (which must handle its expected exceptions itself) and checks its
     * allocation.
     *
     * @throws AssertionError when {@code body} allocated more than the bound twice in a row
     */
    public void enforce(String what, long inputBytes, Runnable body) {
        long used = measure(body);
        if (used > limit(inputBytes)) {
            used = measure(body);
            if (used > limit(inputBytes)) {
                throw new AssertionError(what + " allocated " + used + " bytes for a " + inputBytes
                        + "-byte input (bound " + limit(inputBytes) + ")");
            }
        }
    }

    private static long measure(Runnable body) {
        long start = THREADS.getCurrentThreadAllocatedBytes();
        body.run();
        return THREADS.getCurrentThreadAllocatedBytes() - start;
    }
}
