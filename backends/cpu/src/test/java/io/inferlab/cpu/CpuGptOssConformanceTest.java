package io.inferlab.cpu;

import static io.inferlab.cpu.CpuBackendConformanceTest.assertLogitsClose;
import static io.inferlab.cpu.CpuBackendConformanceTest.cpu;
import static io.inferlab.cpu.CpuBackendConformanceTest.scalar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.inferlab.api.GenerationRequest;
import io.inferlab.api.InferenceBackend;
import io.inferlab.engine.GptOssReference;
import io.inferlab.engine.SharedModels;
import io.inferlab.engine.model.GptOssFixture;
import io.inferlab.engine.runtime.EngineBackend;
import io.inferlab.engine.tensor.GgmlType;

/**
 * gpt-oss on the CPU backend (MXFP4 experts read in place by the Vector API kernels): the shared
 * tiny-gpt-oss model against its independent float64 reference, and random fixtures against the
 * scalar oracle.
 */
class CpuGptOssConformanceTest {
    /** As the engine's scalar reference test: the README's "about 1e-2" against float64. */
    static final double REFERENCE_TOLERANCE = 1e-2;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void tinyGptOssMatchesTheReference(int threads) {
        List<GptOssReference.Prompt> prompts = GptOssReference.load();
        try (InferenceBackend b = cpu(SharedModels.require(SharedModels.TINY_GPT_OSS), threads)) {
            assertTrue(b.computeMode().contains("mxfp4 experts") && b.computeMode().contains("Vector API"), b.computeMode());
            for (GptOssReference.Prompt p : prompts) {
                GptOssReference.Comparison c = GptOssReference.compare(b, p);
                System.out.printf("tiny-gpt-oss cpu (%d threads), prompt %s: %s%n", threads, p.prompt(), c);
                assertTrue(c.maxAbsError() <= REFERENCE_TOLERANCE, () -> "largest top-5 logit error " + c);
                assertEquals(c.clearSteps(), c.clearTop1Matches(), () -> "top-1 differs on a clear step: " + c);
            }
            // Greedy decoding from the plain prompt follows the reference continuation where every step is clear.
            GptOssReference.Prompt plain = prompts.getFirst();
            int[] generated = b.generate(GenerationRequest.ofTokens(plain.promptTokens(), 8).withStopAtEos(false),
                    (t, piece) -> { }).tokens();
            assertArrayEquals(java.util.Arrays.copyOf(plain.continuation(), 8), generated);
        }
    }

    /** Every position of a random sequence, batched prefill (tokens grouped per expert) and decode, against the scalar oracle. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fixtureMatchesTheScalarOracle(boolean quantizedDense) {
        GptOssFixture fixture = new GptOssFixture().denseType(quantizedDense ? GgmlType.Q8_0 : GgmlType.F32)
                .tiedOutput(quantizedDense);
        Path model = fixture.write(dir.resolve("oss-" + quantizedDense + ".gguf"));
        int[] tokens = new int[70]; // more than one 64-token batch, longer than the window of 8
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(256 + GptOssFixture.MERGES.size());
        }
        try (InferenceBackend fast = cpu(model, 2); EngineBackend oracle = scalar(model)) {
            assertLogitsClose(oracle.logits(tokens), fast.logits(tokens), "gpt-oss fixture");
            GenerationRequest req = GenerationRequest.ofTokens(java.util.Arrays.copyOf(tokens, 5), 30).withStopAtEos(false);
            assertArrayEquals(oracle.generate(req, (t, p) -> { }).tokens(), fast.generate(req, (t, p) -> { }).tokens());
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Path model = new GptOssFixture().write(dir.resolve("oss.gguf"));
        int[] tokens = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120};
        try (InferenceBackend one = cpu(model, 1); InferenceBackend three = cpu(model, 3)) {
            float[][] a = one.logits(tokens);
            float[][] b = three.logits(tokens);
            for (int i = 0; i < tokens.length; i++) {
                assertArrayEquals(a[i], b[i], 0f, "position " + i);
            }
        }
    }
}
