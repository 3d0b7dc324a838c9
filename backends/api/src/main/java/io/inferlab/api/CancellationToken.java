package io.inferlab.api;

/** Lets another thread stop a running generation; the generation ends with {@link StopReason#CANCELLED}. */
public final class CancellationToken {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
