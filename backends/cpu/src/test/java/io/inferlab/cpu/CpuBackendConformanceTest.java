package io.inferlab.cpu;

import static io.inferlab.engine.Logits.argmax;
import static io.inferlab.engine.Logits.sequence;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ProbeResult;
import io.inferlab.engine.SharedModels;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.Logits;
import io.inferlab.engine.model.TinyLlamaFixture;
import io.inferlab.engine.runtime.EngineBackend;
import io.inferlab.engine.tensor.GgmlType;

/**
 * The CPU backend against the scalar reference forward pass (the oracle): logits at every
 * position of a 64-token sequence within a stated tolerance, greedy tokens identical, and the
 * shared models' reference text.
 */
class CpuBackendConformanceTest {
    /**
     * Logit tolerance, relative to the largest logit magnitude of the position: the Vector API
     * kernels sum in a different order (lanes, then a reduction; and rows split across threads
     * don't change a row's order) so float rounding differs by a few ulps per dot product, and
     * it compounds over layers; 1e-4 of the logit scale is far above that and far below any
     * change of the argmax that matters.
     */
    static final double RELATIVE_TOLERANCE = 1e-4;

    /** {@link Logits#assertClose} with this backend's tolerance. */
    static void assertLogitsClose(float[][] expected, float[][] actual, String what) {
        Logits.assertClose(expected, actual, RELATIVE_TOLERANCE, what);
    }

    @TempDir
    Path dir;

    static InferenceBackend cpu(Path model, int threads) {
        return new CpuBackendProvider().open(ModelSource.gguf(model), BackendOptions.defaults().withThreads(threads));
    }

    static EngineBackend scalar(Path model) {
        return EngineBackend.open("reference", AccelerationType.CPU, model, BackendOptions.defaults(), n -> new ScalarKernels());
    }

    @Test
    void providerIsDiscoverableAndAvailable() {
        List<BackendProvider> providers = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get).toList();
        assertTrue(providers.stream().anyMatch(p -> p.id().equals("cpu") && p.acceleration() == AccelerationType.CPU));
        ProbeResult probe = new CpuBackendProvider().probe();
        ProbeResult.Available a = assertInstanceOf(ProbeResult.Available.class, probe);
        assertTrue(a.devices().getFirst().properties().containsKey("vectorBits"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void f32GreedyReproducesTheReferenceText(int threads) {
        try (InferenceBackend b = cpu(SharedModels.require(SharedModels.STORIES_F32), threads)) {
            assertArrayEquals(SharedModels.STORIES_PROMPT_TOKENS, b.encode(SharedModels.STORIES_PROMPT));
            GenerationResult r = b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100), (t, p) -> { });
            assertEquals(SharedModels.STORIES_REFERENCE_TEXT, SharedModels.STORIES_PROMPT + r.text());
            assertTrue(r.computeMode().contains("Vector API"), r.computeMode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SharedModels.STORIES_F32, SharedModels.STORIES_Q8_0, SharedModels.STORIES_Q4_0})
    void sharedModelsMatchTheScalarOracle(String name) {
        Path model = SharedModels.require(name);
        try (InferenceBackend fast = cpu(model, 2); EngineBackend oracle = scalar(model)) {
            GenerationResult a = fast.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100), (t, p) -> { });
            GenerationResult b = oracle.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100), (t, p) -> { });
            assertArrayEquals(b.tokens(), a.tokens(), name + ": greedy tokens differ");
            assertLogitsClose(oracle.logits(sequence(64, 512, 7)), fast.logits(sequence(64, 512, 7)), name);
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void everyTensorTypeMatchesTheScalarOracle(GgmlType type) {
        Path model = new TinyLlamaFixture().type(type).write(dir.resolve(type + ".gguf"));
        int[] tokens = sequence(64, TinyLlamaFixture.VOCAB, type.ordinal());
        try (InferenceBackend fast = cpu(model, 2); EngineBackend oracle = scalar(model)) {
            // 64 tokens go through in one batched pass; the logits API runs them as a prefill.
            assertLogitsClose(oracle.logits(tokens), fast.logits(tokens), type.name());
            GenerationRequest req = GenerationRequest.ofTokens(new int[] {1, 300 - 5, 270}, 40).withStopAtEos(false);
            assertArrayEquals(oracle.generate(req, (t, p) -> { }).tokens(), fast.generate(req, (t, p) -> { }).tokens());
        }
    }

    /**
     * Rows and attention heads split across threads; each result depends only on its own row or
     * head. 70 tokens: a whole 64-token panel of the prefill and six tokens after it.
     */
    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Path model = new TinyLlamaFixture().type(GgmlType.Q4_0).write(dir.resolve("threads.gguf"));
        int[] tokens = sequence(70, TinyLlamaFixture.VOCAB, 5);
        try (InferenceBackend one = cpu(model, 1); InferenceBackend three = cpu(model, 3)) {
            float[][] a = one.logits(tokens);
            float[][] b = three.logits(tokens);
            for (int i = 0; i < tokens.length; i++) {
                assertArrayEquals(a[i], b[i], 0f, "position " + i);
            }
            GenerationRequest req = GenerationRequest.ofTokens(new int[] {1, 17, 99}, 30).withStopAtEos(false);
            assertArrayEquals(one.generate(req, (t, p) -> { }).tokens(), three.generate(req, (t, p) -> { }).tokens());
        }
    }

    /**
     * Weights copied into memory (the default) and read in place from the mapping ({@code mmap})
     * give the same logits bit for bit, with the output matrix separate and tied to the embedding.
     */
    @ParameterizedTest
    @CsvSource({"Q8_0, false", "Q8_0, true", "Q4_0, true", "F16, false"})
    void weightsInMemoryGiveTheMappedWeightsLogits(GgmlType type, boolean tied) {
        Path model = new TinyLlamaFixture().type(type).tiedOutput(tied).write(dir.resolve(type + "-" + tied + ".gguf"));
        int[] tokens = sequence(24, TinyLlamaFixture.VOCAB, 9);
        BackendOptions options = BackendOptions.defaults().withThreads(2);
        try (InferenceBackend mapped = new CpuBackendProvider().open(ModelSource.gguf(model), options.withMmap(true));
             InferenceBackend inMemory = new CpuBackendProvider().open(ModelSource.gguf(model), options)) {
            assertTrue(mapped.computeMode().endsWith("weights mapped)"), mapped.computeMode());
            assertTrue(inMemory.computeMode().endsWith("weights in memory)"), inMemory.computeMode());
            float[][] a = mapped.logits(tokens);
            float[][] b = inMemory.logits(tokens);
            for (int i = 0; i < tokens.length; i++) {
                assertArrayEquals(a[i], b[i], 0f, "position " + i);
            }
        }
    }

    @Test
    void batchedPrefillEqualsTokenByTokenDecode() {
        // The same positions computed in one batch (prefill) and one at a time (decode) must agree.
        Path model = new TinyLlamaFixture().type(GgmlType.Q4_0).write(dir.resolve("q4.gguf"));
        int[] tokens = sequence(20, TinyLlamaFixture.VOCAB, 3);
        try (InferenceBackend b = cpu(model, 2)) {
            float[][] batched = b.logits(tokens);
            GenerationRequest req = GenerationRequest.ofTokens(tokens, 1).withStopAtEos(false);
            GenerationResult r = b.generate(req, (t, p) -> { });
            assertEquals(argmax(batched[tokens.length - 1]), r.tokens()[0]);
        }
    }
}
