package io.inferlab.engine.fuzz;

/**
 * The rule every fuzz target enforces: an input either loads or fails with one of our typed
 * exceptions. Any other throwable propagates to Jazzer and is a finding; so are hangs (libFuzzer's
 * -timeout), {@link OutOfMemoryError} and {@link StackOverflowError}, which Jazzer reports itself.
 */
public final class TypedFailure {
    private TypedFailure() {
    }

    /** Code under test; may throw anything. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body}; swallows the {@code typed} exceptions (the reader's documented failures)
     * and rethrows everything else as is
     * (an {@link Error} or {@link RuntimeException}), or wrapped when it is checked.
     */
    @SafeVarargs
    public static void expect(Body body, Class<? extends Exception>... typed) {
        try {
            body.run();
        } catch (Exception e) {
            for (Class<? extends Exception> t : typed) {
                if (t.isInstance(e)) {
                    return;
                }
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError("untyped checked exception " + e, e);
        }
    }
}
