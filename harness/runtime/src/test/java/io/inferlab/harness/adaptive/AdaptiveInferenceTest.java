package io.inferlab.harness.adaptive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.CancellationToken;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.ModelSource;
import io.inferlab.api.StopReason;
import io.inferlab.harness.adaptive.FaultyBackends.Fault;
import io.inferlab.harness.adaptive.FaultyBackends.Provider;

class AdaptiveInferenceTest {
    private final Map<String, Provider> providers = new LinkedHashMap<>();

    private Provider provider(String id, Fault fault, int every) {
        Provider p = new Provider(id, fault, every);
        providers.put(id, p);
        return p;
    }

    private AdaptiveInference runtime(AdaptiveOptions options) {
        BackendOpener opener = id -> providers.get(id).open(ModelSource.gguf(java.nio.file.Path.of("test.gguf")), BackendOptions.defaults());
        return new AdaptiveInference(List.copyOf(providers.keySet()), opener, options);
    }

    private static int[] prompt(int i) {
        return new int[] {1, i, i * 7 % 101};
    }

    private static void assertCorrect(int[] prompt, int n, int[] tokens) {
        assertEquals(n, tokens.length);
        for (int i = 0; i < n; i++) {
            assertEquals(FaultyBackends.expectedToken(prompt, i), tokens[i], "token " + i);
        }
    }

    @Test
    void loadFailuresAndOutOfMemoryFallBackAtStart() {
        provider("broken", Fault.LOAD, 0);
        provider("oom", Fault.OUT_OF_MEMORY_AT_LOAD, 0);
        provider("healthy", Fault.NONE, 0);
        try (AdaptiveInference ai = runtime(AdaptiveOptions.defaults()).start()) {
            assertEquals(List.of(FailureKind.LOAD_FAILED, FailureKind.OUT_OF_MEMORY), ai.fallbacks().stream().map(FallbackEvent::kind).toList());
            AdaptiveResult r = ai.generate(GenerationRequest.ofTokens(prompt(3), 6), null);
            assertEquals("healthy", r.backend());
            assertCorrect(prompt(3), 6, r.result().tokens());
        }
    }

    @Test
    void midStreamFailureRetriesWithoutRepeatingStreamedTokens() {
        provider("flaky", Fault.MID_STREAM, 0);
        provider("healthy", Fault.NONE, 0);
        try (AdaptiveInference ai = runtime(AdaptiveOptions.defaults()).start()) {
            List<Integer> seen = new ArrayList<>();
            AdaptiveResult r = ai.generate(GenerationRequest.ofTokens(prompt(5), 10), (t, piece) -> seen.add(t));
            assertEquals("healthy", r.backend());
            assertCorrect(prompt(5), 10, r.result().tokens());
            assertCorrect(prompt(5), 10, seen.stream().mapToInt(Integer::intValue).toArray());
            assertEquals(1, r.fallbacks().size());
            FallbackEvent f = r.fallbacks().getFirst();
            assertEquals("flaky", f.backend());
            assertEquals(FailureKind.GENERATION_FAILED, f.kind());
            assertTrue(f.message().contains("injected failure"), f.message());
            assertEquals(1, providers.get("flaky").closes.get(), "the failed backend is closed");
        }
    }

    @Test
    void hangingBackendTimesOutAndIsCancelled() {
        provider("hangs", Fault.HANG, 0);
        provider("healthy", Fault.NONE, 0);
        try (AdaptiveInference ai = runtime(new AdaptiveOptions(Duration.ofMillis(100), 3, Duration.ofMinutes(1))).start()) {
            AdaptiveResult r = ai.generate(GenerationRequest.ofTokens(prompt(1), 4), null);
            assertEquals("healthy", r.backend());
            assertCorrect(prompt(1), 4, r.result().tokens());
            assertEquals(FailureKind.TIMEOUT, r.fallbacks().getFirst().kind());
            assertTrue(r.fallbacks().getFirst().timeLostNs() >= TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    @Test
    void repeatedFailuresDemoteForTheCooldownOnly() {
        provider("flaky", Fault.MID_STREAM, 0);
        provider("healthy", Fault.NONE, 0);
        AtomicLong clock = new AtomicLong();
        BackendOpener opener = id -> providers.get(id).open(ModelSource.gguf(java.nio.file.Path.of("t.gguf")), BackendOptions.defaults());
        try (AdaptiveInference ai = new AdaptiveInference(List.of("flaky", "healthy"), opener,
                new AdaptiveOptions(null, 2, Duration.ofSeconds(10)), clock::get).start()) {
            ai.generate(GenerationRequest.ofTokens(prompt(1), 4), null);
            AdaptiveResult second = ai.generate(GenerationRequest.ofTokens(prompt(2), 4), null);
            assertTrue(second.fallbacks().getFirst().demoted());
            assertEquals(List.of("flaky"), List.copyOf(ai.demoted().keySet()));
            assertTrue(ai.generate(GenerationRequest.ofTokens(prompt(3), 4), null).fallbacks().isEmpty(), "demoted: not tried first");
            clock.addAndGet(Duration.ofSeconds(11).toNanos());
            assertEquals(1, ai.generate(GenerationRequest.ofTokens(prompt(4), 4), null).fallbacks().size(), "cool-down over: tried again");
        }
    }

    @Test
    void everyBackendFailingNamesEachFailure() {
        provider("broken", Fault.LOAD, 0);
        provider("flaky", Fault.MID_STREAM, 0);
        try (AdaptiveInference ai = runtime(AdaptiveOptions.defaults()).start()) {
            AllBackendsFailedException e = assertThrows(AllBackendsFailedException.class,
                    () -> ai.generate(GenerationRequest.ofTokens(prompt(1), 4), null));
            assertEquals(List.of("broken", "flaky"), e.failures().stream().map(FallbackEvent::backend).toList());
            assertTrue(e.getMessage().contains("injected load failure"), e.getMessage());
        }
    }

    @Test
    void lifecycleIsExplicitAndIdempotent() {
        provider("healthy", Fault.NONE, 0);
        AdaptiveInference ai = runtime(AdaptiveOptions.defaults());
        assertThrows(IllegalStateException.class, () -> ai.generate(GenerationRequest.ofTokens(prompt(1), 2), null));
        ai.start();
        ai.start();
        assertEquals(1, providers.get("healthy").opens.get(), "start opens the first backend once");
        ai.generate(GenerationRequest.ofTokens(prompt(1), 2), null);
        ai.shutdown();
        ai.shutdown();
        assertEquals(1, providers.get("healthy").closes.get());
        assertThrows(IllegalStateException.class, () -> ai.generate(GenerationRequest.ofTokens(prompt(1), 2), null));
        assertThrows(IllegalStateException.class, ai::start);
    }

    @Test
    void cancellingTheFutureStopsTheGeneration() throws Exception {
        Provider hang = provider("hangs", Fault.HANG, 0);
        provider("healthy", Fault.NONE, 0);
        try (AdaptiveInference ai = runtime(AdaptiveOptions.defaults()).start()) {
            CompletableFuture<AdaptiveResult> f = ai.generateAsync(GenerationRequest.ofTokens(prompt(1), 8), null);
            while (hang.injected.get() == 0) {
                Thread.sleep(1);
            }
            f.cancel(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (hang.finished.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(1, hang.finished.get(), "the backend saw the cancellation and returned");
            assertEquals(0, providers.get("healthy").requests.get(), "a cancelled request is not retried elsewhere");
        }
    }

    @Test
    void cancelledRequestEndsCancelledWithoutFallback() {
        provider("healthy", Fault.NONE, 0);
        try (AdaptiveInference ai = runtime(AdaptiveOptions.defaults()).start()) {
            CancellationToken token = new CancellationToken();
            token.cancel();
            AdaptiveResult r = ai.generate(GenerationRequest.ofTokens(prompt(1), 4).withCancellation(token), null);
            assertEquals(StopReason.CANCELLED, r.result().stopReason());
            assertTrue(ai.fallbacks().isEmpty());
        }
    }

    /**
     * 1000 concurrent requests over a chain with a backend that never loads, one that fails every
     * 7th request mid-stream, one that fails every request mid-stream and one healthy one: every
     * request completes with the exact expected tokens, each streamed once, and the recorded
     * fallbacks are exactly the injected faults.
     */
    @Test
    void thousandConcurrentRequestsAllCompleteAndFallbacksMatchTheInjectedFaults() {
        Provider broken = provider("broken", Fault.LOAD, 0);
        Provider intermittent = provider("intermittent", Fault.INTERMITTENT, 7);
        Provider flaky = provider("flaky", Fault.MID_STREAM, 0);
        provider("healthy", Fault.NONE, 0);
        int n = 1000;
        int maxTokens = 8;
        try (AdaptiveInference ai = runtime(new AdaptiveOptions(Duration.ofSeconds(20), 5, Duration.ofMillis(50))).start()) {
            List<CompletableFuture<AdaptiveResult>> futures = new ArrayList<>();
            List<List<Integer>> streamed = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
                streamed.add(seen);
                futures.add(ai.generateAsync(GenerationRequest.ofTokens(prompt(i), maxTokens), (t, piece) -> seen.add(t)));
            }
            int perRequestFallbacks = 0;
            for (int i = 0; i < n; i++) {
                AdaptiveResult r = futures.get(i).join();
                assertCorrect(prompt(i), maxTokens, r.result().tokens());
                assertCorrect(prompt(i), maxTokens, streamed.get(i).stream().mapToInt(Integer::intValue).toArray());
                perRequestFallbacks += r.fallbacks().size();
            }
            List<FallbackEvent> all = ai.fallbacks();
            assertEquals(all.size(), perRequestFallbacks + countStartFallbacks(all), "each fallback belongs to one request or to start");
            assertEquals(broken.injected.get(), count(all, "broken", FailureKind.LOAD_FAILED));
            assertEquals(intermittent.injected.get(), count(all, "intermittent", FailureKind.GENERATION_FAILED));
            assertEquals(flaky.injected.get(), count(all, "flaky", FailureKind.GENERATION_FAILED));
            assertEquals(all.size(), broken.injected.get() + intermittent.injected.get() + flaky.injected.get(),
                    "no fallback without an injected fault");
            assertTrue(intermittent.injected.get() > 0);
        }
    }

    private static long countStartFallbacks(List<FallbackEvent> all) {
        return all.stream().filter(f -> f.request() == 1).count(); // start() is request 1
    }

    private static long count(List<FallbackEvent> all, String backend, FailureKind kind) {
        return all.stream().filter(f -> f.backend().equals(backend) && f.kind() == kind).count();
    }
}
