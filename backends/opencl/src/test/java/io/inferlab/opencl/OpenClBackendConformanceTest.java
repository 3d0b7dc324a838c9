package io.inferlab.opencl;

import static io.inferlab.engine.Logits.argmax;
import static io.inferlab.engine.Logits.sequence;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.CancellationToken;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.SamplingParams;
import io.inferlab.api.StopReason;
import io.inferlab.engine.Logits;
import io.inferlab.engine.SharedModels;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.model.TinyLlamaFixture;
import io.inferlab.engine.runtime.EngineBackend;
import io.inferlab.engine.tensor.GgmlType;

/**
 * The OpenCL backend against the CPU scalar forward pass (the oracle): logits at every position
 * of a 64-token sequence within a stated tolerance for every tensor type, greedy tokens
 * identical, the shared models' reference text, and the generation contract (streaming, stop
 * reasons, timings, timeout, cancellation) through the engine's loop.
 */
@EnabledIf(value = "io.inferlab.opencl.OpenClTestDevice#available", disabledReason = OpenClTestDevice.SKIP_REASON)
class OpenClBackendConformanceTest {
    /**
     * Logit tolerance, relative to the largest logit magnitude of the position: the device adds
     * dot products, norms and softmax sums in another order (lanes, vectors, trees) and its exp
     * and sqrt may differ from Java's by an ulp or two; that compounds over the layers to about
     * 1e-6 of the logit scale here. 1e-4 is far above it and far below any change of a ranking
     * that matters; the argmax must be identical at every position.
     */
    static final double RELATIVE_TOLERANCE = 1e-4;

    /** {@link Logits#assertClose} with this backend's tolerance. */
    static void assertLogitsClose(float[][] expected, float[][] actual, String what) {
        Logits.assertClose(expected, actual, RELATIVE_TOLERANCE, what);
    }

    @TempDir
    Path dir;

    static InferenceBackend opencl(Path model) {
        return new OpenClBackendProvider().open(ModelSource.gguf(model), BackendOptions.defaults());
    }

    static EngineBackend oracle(Path model) {
        return EngineBackend.open("reference", AccelerationType.CPU, model, BackendOptions.defaults(), n -> new ScalarKernels());
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void everyTensorTypeMatchesTheScalarOracleAtEveryPosition(GgmlType type) {
        Path model = new TinyLlamaFixture().type(type).write(dir.resolve(type + ".gguf"));
        int[] tokens = sequence(64, TinyLlamaFixture.VOCAB, type.ordinal());
        try (InferenceBackend device = opencl(model); EngineBackend oracle = oracle(model)) {
            assertEquals(AccelerationType.OPENCL, device.acceleration());
            assertTrue(device.computeMode().startsWith(type.name().toLowerCase() + " weights x f32 activations")
                    && device.computeMode().contains("OpenCL"), device.computeMode());
            // 64 tokens in one batched pass (the tiled matmul kernels).
            assertLogitsClose(oracle.logits(tokens), device.logits(tokens), type.name());
            // Decode token by token (the matvec kernels and the device argmax).
            GenerationRequest req = GenerationRequest.ofTokens(new int[] {1, 300 - 5, 270}, 40).withStopAtEos(false);
            assertArrayEquals(oracle.generate(req, (t, p) -> { }).tokens(), device.generate(req, (t, p) -> { }).tokens(),
                    type + ": greedy tokens");
        }
    }

    @Test
    void sequencesLongerThanOneBatchAndATiedOutputMatch() {
        // 100 tokens: a batch of 64 then one of 36 starting at position 64 over the cached keys;
        // the tied output reads the embedding's buffer.
        Path model = new TinyLlamaFixture().type(GgmlType.Q8_0).tiedOutput(true).write(dir.resolve("tied.gguf"));
        int[] tokens = sequence(100, TinyLlamaFixture.VOCAB, 11);
        try (InferenceBackend device = opencl(model); EngineBackend oracle = oracle(model)) {
            assertLogitsClose(oracle.logits(tokens), device.logits(tokens), "tied q8_0, 100 tokens");
        }
    }

    @Test
    void batchedPrefillEqualsTokenByTokenDecode() {
        Path model = new TinyLlamaFixture().type(GgmlType.Q4_0).write(dir.resolve("q4.gguf"));
        int[] tokens = sequence(20, TinyLlamaFixture.VOCAB, 3);
        try (InferenceBackend b = opencl(model)) {
            float[][] batched = b.logits(tokens);
            // The prompt's last token's logits come from a batched pass; generate one token of each length.
            for (int len = 1; len <= tokens.length; len += 6) {
                int[] prefix = java.util.Arrays.copyOf(tokens, len);
                GenerationResult r = b.generate(GenerationRequest.ofTokens(prefix, 1).withStopAtEos(false), (t, p) -> { });
                assertEquals(argmax(batched[len - 1]), r.tokens()[0], "prefix of " + len);
            }
        }
    }

    @Test
    void sampledGenerationReadsTheLogitsAndMatchesTheOracle() {
        // Temperature > 0 goes through the host sampler with the logits read back.
        Path model = new TinyLlamaFixture().type(GgmlType.F16).write(dir.resolve("f16.gguf"));
        GenerationRequest req = GenerationRequest.ofTokens(new int[] {1, 280}, 30).withStopAtEos(false)
                .withSampling(new SamplingParams(0.8f, 40, 0.95f, 7));
        try (InferenceBackend device = opencl(model); EngineBackend oracle = oracle(model)) {
            assertArrayEquals(oracle.generate(req, (t, p) -> { }).tokens(), device.generate(req, (t, p) -> { }).tokens());
        }
    }

    @Test
    void f32GreedyReproducesTheReferenceText() {
        try (InferenceBackend b = opencl(SharedModels.require(SharedModels.STORIES_F32))) {
            StringBuilder streamed = new StringBuilder();
            GenerationResult r = b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100),
                    (t, piece) -> streamed.append(piece));
            assertEquals(SharedModels.STORIES_REFERENCE_TEXT, SharedModels.STORIES_PROMPT + r.text());
            assertEquals(r.text(), streamed.toString());
            assertEquals(StopReason.MAX_TOKENS, r.stopReason());
            assertEquals(99, r.timings().itlNs().length);
            assertTrue(r.timings().ttftNs() >= r.timings().prefillNs() && r.timings().prefillNs() > 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SharedModels.STORIES_Q8_0, SharedModels.STORIES_Q4_0})
    void quantizedSharedModelsGiveTheOraclesTokens(String name) {
        Path model = SharedModels.require(name);
        try (InferenceBackend device = opencl(model); EngineBackend oracle = oracle(model)) {
            GenerationResult a = device.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100), (t, p) -> { });
            GenerationResult b = oracle.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100), (t, p) -> { });
            assertArrayEquals(b.tokens(), a.tokens(), name + ": greedy tokens differ");
            if (name.equals(SharedModels.STORIES_Q8_0)) {
                // llama.cpp and the CPU backend give the F32 text for this file too.
                assertEquals(SharedModels.STORIES_REFERENCE_TEXT, SharedModels.STORIES_PROMPT + a.text());
            }
            assertLogitsClose(oracle.logits(sequence(64, 512, 7)), device.logits(sequence(64, 512, 7)), name);
        }
    }

    @Test
    void stopReasonsTimeoutAndCancellation() throws Exception {
        Path model = new TinyLlamaFixture().type(GgmlType.Q8_0).write(dir.resolve("stop.gguf"));
        try (InferenceBackend b = opencl(model)) {
            int ctx = 128; // TinyLlamaFixture's context length
            GenerationResult full = b.generate(GenerationRequest.ofTokens(new int[] {1, 280}, 500).withStopAtEos(false),
                    (t, p) -> { });
            assertEquals(StopReason.CONTEXT_FULL, full.stopReason());
            assertEquals(ctx - 2, full.tokens().length);

            GenerationResult timedOut = b.generate(GenerationRequest.ofTokens(new int[] {1, 280}, 100)
                    .withStopAtEos(false).withTimeout(Duration.ofNanos(1)), (t, p) -> { });
            assertEquals(StopReason.TIMEOUT, timedOut.stopReason());

            CancellationToken token = new CancellationToken();
            List<Integer> streamed = new ArrayList<>();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                CompletableFuture<GenerationResult> f = b.generateAsync(GenerationRequest.ofTokens(new int[] {1, 280}, 100)
                        .withStopAtEos(false).withCancellation(token), (t, p) -> {
                            streamed.add(t);
                            if (streamed.size() == 5) {
                                token.cancel();
                            }
                        }, pool);
                GenerationResult cancelled = f.get();
                assertEquals(StopReason.CANCELLED, cancelled.stopReason());
                assertEquals(5, cancelled.tokens().length);
                assertEquals(streamed, java.util.Arrays.stream(cancelled.tokens()).boxed().toList());
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void badTokensAndTooLongSequencesAreRejectedAndTheBackendStaysUsable() {
        Path model = new TinyLlamaFixture().type(GgmlType.F32).write(dir.resolve("bad.gguf"));
        try (InferenceBackend b = opencl(model)) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> b.logits(new int[] {1, TinyLlamaFixture.VOCAB}));
            assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
            assertThrowsIllegal(() -> b.logits(new int[200]));
            assertEquals(2, b.logits(new int[] {1, 5}).length);
        }
    }

    private static void assertThrowsIllegal(Runnable r) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run);
    }
}
