package io.inferlab.opencl;

import static io.inferlab.opencl.OpenClBackendConformanceTest.opencl;
import static io.inferlab.opencl.OpenClBackendConformanceTest.oracle;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.inferlab.api.GenerationRequest;
import io.inferlab.api.InferenceBackend;
import io.inferlab.engine.GptOssReference;
import io.inferlab.engine.Logits;
import io.inferlab.engine.SharedModels;
import io.inferlab.engine.model.GptOssFixture;
import io.inferlab.engine.runtime.EngineBackend;
import io.inferlab.engine.tensor.GgmlType;

/**
 * gpt-oss on the OpenCL backend (MXFP4 experts read in place by the device kernels): the shared
 * tiny-gpt-oss model against its independent float64 reference, as CpuGptOssConformanceTest
 * does it on the CPU, and generated fixtures against the CPU scalar oracle at every position.
 */
@EnabledIf(value = "io.inferlab.opencl.OpenClTestDevice#available", disabledReason = OpenClTestDevice.SKIP_REASON)
class OpenClGptOssConformanceTest {
    /** The README's "about 1e-2" against float64, as on the CPU. */
    static final double REFERENCE_TOLERANCE = 1e-2;
    /**
     * Against the scalar oracle, relative to the position's largest logit: as
     * OpenClBackendConformanceTest's 1e-4 (sums in another order, exp by an ulp or two); the
     * routing is a discrete choice, and a router gap under the rounding noise could flip an
     * expert, but the fixtures' seeds have no such position (argmax identical everywhere).
     */
    static final double ORACLE_TOLERANCE = OpenClBackendConformanceTest.RELATIVE_TOLERANCE;

    @TempDir
    Path dir;

    @Test
    void tinyGptOssMatchesTheReference() {
        List<GptOssReference.Prompt> prompts = GptOssReference.load();
        try (EngineBackend b = (EngineBackend) opencl(SharedModels.require(SharedModels.TINY_GPT_OSS))) {
            assertTrue(b.computeMode().contains("mxfp4 experts") && b.computeMode().contains("OpenCL"), b.computeMode());
            for (GptOssReference.Prompt p : prompts) {
                // The harmony prompt spells its special tokens, which llama.cpp parsed.
                assertArrayEquals(p.promptTokens(), b.tokenizer().encode(p.prompt(), false, p.prompt().contains("<|")),
                        "tokenization of " + p.prompt());
                GptOssReference.Comparison c = GptOssReference.compare(b, p);
                System.out.printf("tiny-gpt-oss opencl, prompt %s: %s%n", p.prompt(), c);
                assertTrue(c.maxAbsError() <= REFERENCE_TOLERANCE, () -> "largest top-5 logit error " + c);
                assertEquals(c.clearSteps(), c.clearTop1Matches(), () -> "top-1 differs on a clear step: " + c);
            }
            // Greedy decoding (device argmax, token by token) follows the reference continuation.
            GptOssReference.Prompt plain = prompts.getFirst();
            int[] generated = b.generate(GenerationRequest.ofTokens(plain.promptTokens(), 8).withStopAtEos(false),
                    (t, piece) -> { }).tokens();
            assertArrayEquals(Arrays.copyOf(plain.continuation(), 8), generated);
        }
    }

    /**
     * Every position of a 70-token sequence (a 64-token batch, then 6 more over the cached keys;
     * longer than the window of 8) against the scalar oracle, then greedy decoding.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fixtureMatchesTheScalarOracle(boolean quantizedDense) {
        GptOssFixture fixture = new GptOssFixture().denseType(quantizedDense ? GgmlType.Q8_0 : GgmlType.F32)
                .tiedOutput(quantizedDense);
        Path model = fixture.write(dir.resolve("oss-" + quantizedDense + ".gguf"));
        int[] tokens = new int[70];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(256 + GptOssFixture.MERGES.size());
        }
        try (InferenceBackend device = opencl(model); EngineBackend oracle = oracle(model)) {
            float[][] want = oracle.logits(tokens);
            float[][] got = device.logits(tokens);
            System.out.printf("gpt-oss fixture (dense %s) opencl vs scalar: largest |difference| / logit scale %.2e%n",
                    quantizedDense ? "q8_0" : "f32", largestRelativeDifference(want, got));
            OpenClBackendConformanceTest.assertLogitsClose(want, got,
                    "gpt-oss fixture, dense " + (quantizedDense ? "q8_0, tied" : "f32"));
            GenerationRequest req = GenerationRequest.ofTokens(Arrays.copyOf(tokens, 5), 30).withStopAtEos(false);
            assertArrayEquals(oracle.generate(req, (t, p) -> { }).tokens(), device.generate(req, (t, p) -> { }).tokens(),
                    "greedy tokens");
        }
    }

    /** Half-precision dense matrices and embedding, another seed (other routing), a second shape of the same code. */
    @Test
    void f16DenseMatricesMatchTheScalarOracle() {
        Path model = new GptOssFixture().denseType(GgmlType.F16).embeddingType(GgmlType.F16).seed(11)
                .write(dir.resolve("f16.gguf"));
        int[] tokens = Logits.sequence(40, 256, 9);
        try (InferenceBackend device = opencl(model); EngineBackend oracle = oracle(model)) {
            OpenClBackendConformanceTest.assertLogitsClose(oracle.logits(tokens), device.logits(tokens), "f16 dense");
        }
    }

    private static double largestRelativeDifference(float[][] want, float[][] got) {
        double worst = 0;
        for (int p = 0; p < want.length; p++) {
            double scale = 0;
            for (float v : want[p]) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < want[p].length; i++) {
                worst = Math.max(worst, Math.abs(want[p][i] - got[p][i]) / scale);
            }
        }
        return worst;
    }
}
