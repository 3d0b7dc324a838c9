package io.inferlab.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

import io.inferlab.api.GenerationResult;
import io.inferlab.api.StopReason;

/**
 * Per-request measurements of the running iteration, collected by the benchmarks and turned
 * into JMH secondary metrics by {@link InferenceMetricsProfiler} (which runs in the same forked
 * JVM). One benchmark thread records at a time; the lock only guards the hand-over.
 */
public final class InferenceMetrics {
    /** One request's outcome, in nanoseconds; failed requests carry no timings. */
    public record Request(boolean success, long ttftNs, double tpotNs, long[] itlNs, long e2elNs, int outputTokens,
                          boolean goodputMet) {
    }

    private static final List<Request> REQUESTS = new ArrayList<>();
    private static long modelBytes;
    /** The device memory of the backend under test, asked at each iteration's end (empty: none or unknown). */
    private static Supplier<OptionalLong> deviceMemory = OptionalLong::empty;

    private InferenceMetrics() {
    }

    public static synchronized void record(Request r) {
        REQUESTS.add(r);
    }

    /** A finished generation: successful unless it timed out or was cancelled. */
    public static void record(GenerationResult r) {
        record(r, true);
    }

    public static void record(GenerationResult r, boolean goodputMet) {
        boolean ok = r.stopReason() != StopReason.TIMEOUT && r.stopReason() != StopReason.CANCELLED;
        record(new Request(ok, r.timings().ttftNs(), r.timings().tpotNs(), r.timings().itlNs(), r.timings().e2eNs(),
                r.tokens().length, ok && goodputMet));
    }

    /** A request that threw: counted as a failure, never rethrown. */
    public static void recordFailure(long e2elNs) {
        record(new Request(false, 0, 0, new long[0], e2elNs, 0, false));
    }

    static synchronized void recordModelBytes(long bytes) {
        modelBytes = bytes;
    }

    static synchronized long modelBytes() {
        return modelBytes;
    }

    /** Where to read the device memory the backend under test holds (e.g. {@code InferenceBackend::deviceMemoryBytes}). */
    static synchronized void recordDeviceMemory(Supplier<OptionalLong> source) {
        deviceMemory = source;
    }

    static synchronized OptionalLong deviceMemoryBytes() {
        return deviceMemory.get();
    }

    /** The requests recorded since the last call, which starts a new window. */
    static synchronized List<Request> drain() {
        List<Request> out = List.copyOf(REQUESTS);
        REQUESTS.clear();
        return out;
    }
}
