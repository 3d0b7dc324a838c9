package io.inferlab.harness.adaptive;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendFailedException;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.DeviceInfo;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.GenerationTimings;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelInfo;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ProbeResult;
import io.inferlab.api.StopReason;
import io.inferlab.api.TokenListener;
import io.inferlab.api.UnsupportedModelException;

/**
 * A test-only backend provider that injects faults: at load, mid-stream, by hanging until
 * cancelled (a timeout), or on every n-th request. Its "model" is deterministic: token i of a
 * prompt [p0, p1, ...] is (sum(p) * 31 + i) mod 32000, so every backend, faulty or not, agrees on
 * the correct result and a test can check it exactly. Counts what it injected.
 */
final class FaultyBackends {
    enum Fault { NONE, LOAD, MID_STREAM, HANG, INTERMITTENT, OUT_OF_MEMORY_AT_LOAD }

    private FaultyBackends() {
    }

    static int expectedToken(int[] prompt, int i) {
        long sum = 0;
        for (int p : prompt) {
            sum += p;
        }
        return (int) ((sum * 31 + i) % 32000);
    }

    static final class Provider implements BackendProvider {
        final String id;
        final Fault fault;
        final int every; // INTERMITTENT: fail every n-th request
        final AtomicInteger opens = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger injected = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();

        Provider(String id, Fault fault, int every) {
            this.id = id;
            this.fault = fault;
            this.every = every;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public AccelerationType acceleration() {
            return AccelerationType.CPU;
        }

        @Override
        public ProbeResult probe() {
            return new ProbeResult.Available(new DeviceInfo("test", "fault-injecting test device", 0, Map.of()));
        }

        @Override
        public InferenceBackend open(ModelSource model, BackendOptions options) {
            opens.incrementAndGet();
            if (fault == Fault.LOAD) {
                injected.incrementAndGet();
                throw new UnsupportedModelException("injected load failure on '" + id + "'");
            }
            if (fault == Fault.OUT_OF_MEMORY_AT_LOAD) {
                injected.incrementAndGet();
                throw new OutOfMemoryError("injected: cannot allocate device buffer on '" + id + "'");
            }
            return new Backend(this);
        }
    }

    static final class Backend implements InferenceBackend {
        private final Provider p;
        private volatile boolean closed;

        Backend(Provider p) {
            this.p = p;
        }

        @Override
        public String id() {
            return p.id;
        }

        @Override
        public AccelerationType acceleration() {
            return AccelerationType.CPU;
        }

        @Override
        public ModelInfo model() {
            return new ModelInfo(Path.of("test.gguf"), "llama", "test", 0, Map.of("F32", 1), 0, 0, 1024, 32000);
        }

        @Override
        public String computeMode() {
            return "test";
        }

        @Override
        public int[] encode(String text) {
            return text.chars().toArray();
        }

        @Override
        public String decode(int[] tokens) {
            StringBuilder sb = new StringBuilder();
            for (int t : tokens) {
                sb.append(piece(t));
            }
            return sb.toString();
        }

        private static String piece(int t) {
            return "<" + t + ">";
        }

        @Override
        public GenerationResult generate(GenerationRequest request, TokenListener listener) {
            try {
                return run(request, listener);
            } finally {
                p.finished.incrementAndGet();
            }
        }

        private GenerationResult run(GenerationRequest request, TokenListener listener) {
            if (closed) {
                throw new BackendFailedException("backend '" + p.id + "' used after close", null);
            }
            int n = p.requests.incrementAndGet();
            int[] prompt = request.promptTokens() != null ? request.promptTokens() : encode(request.prompt());
            boolean fail = switch (p.fault) {
                case MID_STREAM, HANG -> true;
                case INTERMITTENT -> n % p.every == 0;
                default -> false;
            };
            int[] out = new int[request.maxTokens()];
            long start = System.nanoTime();
            for (int i = 0; i < out.length; i++) {
                if (fail && i == out.length / 2) {
                    p.injected.incrementAndGet();
                    if (p.fault == Fault.HANG) {
                        while (request.cancellation() == null || !request.cancellation().isCancelled()) {
                            Thread.onSpinWait();
                            Thread.yield();
                        }
                        return result(prompt, java.util.Arrays.copyOf(out, i), StopReason.CANCELLED, start);
                    }
                    throw new BackendFailedException("injected failure on '" + p.id + "' after " + i + " tokens", null);
                }
                if (request.cancellation() != null && request.cancellation().isCancelled()) {
                    return result(prompt, java.util.Arrays.copyOf(out, i), StopReason.CANCELLED, start);
                }
                out[i] = expectedToken(prompt, i);
                listener.onToken(out[i], piece(out[i]));
            }
            return result(prompt, out, StopReason.MAX_TOKENS, start);
        }

        private GenerationResult result(int[] prompt, int[] out, StopReason reason, long start) {
            long e2e = System.nanoTime() - start;
            return new GenerationResult(prompt, out, decode(out), reason,
                    new GenerationTimings(prompt.length, 1000, 1000, itl(out.length), e2e), "test on " + p.id);
        }

        /** A fixed 1 ms per token after the first, so calibration numbers are known exactly. */
        private static long[] itl(int tokens) {
            long[] gaps = new long[Math.max(0, tokens - 1)];
            java.util.Arrays.fill(gaps, 1_000_000);
            return gaps;
        }

        @Override
        public float[][] logits(int[] tokens) {
            return new float[tokens.length][1];
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                p.closes.incrementAndGet();
            }
        }
    }
}
