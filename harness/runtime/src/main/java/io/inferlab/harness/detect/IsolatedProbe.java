package io.inferlab.harness.detect;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.inferlab.api.BackendProvider;
import io.inferlab.api.ProbeResult;

/**
 * Runs one provider's {@link BackendProvider#probe()} so that nothing it does escapes: an
 * exception, an {@link Error} (a {@link LinkageError} from a missing native library above all), a
 * null answer or a probe that never returns all become {@link ProbeResult.Unavailable} with the
 * reason. Each probe runs on its own daemon thread, so probes run concurrently and a hung one
 * cannot keep the JVM alive.
 */
public final class IsolatedProbe {
    private static final Executor DAEMON_THREADS = task -> {
        Thread t = new Thread(task, "inferlab-probe");
        t.setDaemon(true);
        t.start();
    };

    private IsolatedProbe() {
    }

    /** Starts probing {@code provider} on its own thread; the future always completes normally. */
    public static CompletableFuture<Timed> start(DiscoveredProvider provider) {
        return CompletableFuture.supplyAsync(() -> run(provider), DAEMON_THREADS);
    }

    /** Waits up to {@code timeout} for a started probe. */
    public static Timed await(DiscoveredProvider provider, CompletableFuture<Timed> started, Duration timeout) {
        try {
            return started.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return new Timed(new ProbeResult.Unavailable("the probe of backend '" + provider.id()
                    + "' did not answer within " + timeout.toMillis() + " ms"), timeout.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Timed(new ProbeResult.Unavailable("interrupted while probing backend '" + provider.id() + "'"), 0);
        } catch (ExecutionException e) {
            // run() catches everything; this is here for completeness of the contract.
            return new Timed(failure(provider, e.getCause()), 0);
        }
    }

    /** Probes on the calling thread, isolated. */
    public static Timed run(DiscoveredProvider provider) {
        long start = System.nanoTime();
        ProbeResult result;
        try {
            result = provider.provider().probe();
            if (result == null) {
                result = new ProbeResult.Unavailable("the probe of backend '" + provider.id()
                        + "' returned nothing (a bug in the backend)");
            }
        } catch (Throwable e) { // the probe's contract is "never throws"; a broken provider must not end detection
            result = failure(provider, e);
        }
        return new Timed(result, System.nanoTime() - start);
    }

    private static ProbeResult failure(DiscoveredProvider provider, Throwable e) {
        String kind = e instanceof LinkageError ? "its native binding failed to load" : "its probe failed";
        return new ProbeResult.Unavailable("backend '" + provider.id() + "': " + kind + " (" + HostDetector.describe(e) + ")");
    }

    /** A probe's answer and how long it took. */
    public record Timed(ProbeResult result, long elapsedNs) {
    }
}
