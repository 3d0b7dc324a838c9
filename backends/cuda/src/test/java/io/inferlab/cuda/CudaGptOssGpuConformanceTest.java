package io.inferlab.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.cpu.CpuBackendProvider;
import io.inferlab.cuda.check.CheckResult;
import io.inferlab.cuda.check.KernelConformance;
import io.inferlab.cuda.check.LogitsConformance;
import io.inferlab.cuda.runtime.CudaContext;
import io.inferlab.cuda.runtime.CudaGptOssForwardPass;
import io.inferlab.engine.GptOssReference;
import io.inferlab.engine.SharedModels;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.model.GptOssFixture;
import io.inferlab.engine.model.GptOssModel;
import io.inferlab.engine.tensor.GgmlType;

/**
 * gpt-oss on a real GPU: the mixture-of-experts kernels against the scalar reference,
 * tiny-gpt-oss against its float64 reference logits, random fixtures against the CPU backend, and
 * the device memory accounting. Every test is skipped (with the reason) where there is no GPU.
 */
@EnabledIf(value = "io.inferlab.cuda.CudaTestSupport#gpuPresent", disabledReason = "no CUDA device on this host")
class CudaGptOssGpuConformanceTest {
    /** As the CPU backend's test against the same reference: the README's "about 1e-2" against float64. */
    static final double REFERENCE_TOLERANCE = 1e-2;

    @TempDir
    Path dir;

    private static CudaDevice device() {
        return ((CudaDiscovery.Found) CudaProbe.discover()).devices().getFirst();
    }

    private static InferenceBackend cuda(Path model) {
        return new Mxfp4BackendProvider().open(ModelSource.gguf(model), BackendOptions.defaults().withContextLength(256));
    }

    private static InferenceBackend cpu(Path model) {
        return new CpuBackendProvider().open(ModelSource.gguf(model),
                BackendOptions.defaults().withThreads(2).withContextLength(256));
    }

    @Test
    void theMixtureOfExpertsKernelsMatchTheScalarReference() {
        try (CudaContext cx = CudaContext.open(device())) {
            List<CheckResult> failed = new KernelConformance(cx).moeKernels().stream().filter(r -> !r.passed()).toList();
            assertTrue(failed.isEmpty(), failed.stream().map(r -> r.name() + ": " + r.detail())
                    .collect(Collectors.joining("\n")));
        }
    }

    @Test
    void tinyGptOssMatchesTheReference() {
        List<GptOssReference.Prompt> prompts = GptOssReference.load();
        try (InferenceBackend b = cuda(SharedModels.require(SharedModels.TINY_GPT_OSS))) {
            assertTrue(b.computeMode().contains("gpt-oss MoE on the device"), b.computeMode());
            for (GptOssReference.Prompt p : prompts) {
                GptOssReference.Comparison c = GptOssReference.compare(b, p);
                System.out.printf("tiny-gpt-oss cuda, prompt %s: %s%n", p.prompt(), c);
                assertTrue(c.maxAbsError() <= REFERENCE_TOLERANCE, () -> "largest top-5 logit error " + c);
                assertEquals(c.clearSteps(), c.clearTop1Matches(), () -> "top-1 differs on a clear step: " + c);
            }
            GptOssReference.Prompt plain = prompts.getFirst();
            int[] generated = b.generate(GenerationRequest.ofTokens(plain.promptTokens(), 8).withStopAtEos(false),
                    (t, piece) -> { }).tokens();
            assertArrayEquals(Arrays.copyOf(plain.continuation(), 8), generated);
        }
    }

    /** Every position of 70 tokens (a 64-token batch and a tail; the window is 8), then greedy decoding. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fixtureLogitsMatchTheCpuBackend(boolean quantizedDense) {
        Path model = new GptOssFixture().denseType(quantizedDense ? GgmlType.Q8_0 : GgmlType.F32)
                .tiedOutput(quantizedDense).write(dir.resolve("oss-" + quantizedDense + ".gguf"));
        int[] tokens = new int[70];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(GptOssFixture.TOKENS.size());
        }
        try (InferenceBackend reference = cpu(model); InferenceBackend device = cuda(model)) {
            CheckResult c = LogitsConformance.compare("gpt-oss fixture", reference, device, tokens);
            assertTrue(c.passed(), c.detail());
            assertTrue(device.deviceMemoryBytes().orElse(0) > 0, "the backend reports the device memory it holds");
            GenerationRequest req = GenerationRequest.ofTokens(Arrays.copyOf(tokens, 5), 30).withStopAtEos(false);
            assertArrayEquals(reference.generate(req, (t, p) -> { }).tokens(), device.generate(req, (t, p) -> { }).tokens());
        }
    }

    @Test
    void allocationsFollowThePlanAndClosingFreesThem() {
        Path model = new GptOssFixture().denseType(GgmlType.Q8_0).write(dir.resolve("oss.gguf"));
        try (GgufFile f = GgufFile.open(model); CudaContext probe = CudaContext.open(device())) {
            GptOssModel m = GptOssModel.load(f);
            long before = probe.memoryInfo()[0];
            try (CudaGptOssForwardPass pass = CudaGptOssForwardPass.open(CudaContext.open(device()), m, 128, 16)) {
                assertEquals(pass.plan().totalBytes(), pass.deviceBytes());
                assertEquals(pass.deviceBytes(), pass.deviceMemoryBytes().orElseThrow());
                assertTrue(before - probe.memoryInfo()[0] >= pass.deviceBytes(), "the device's free memory went down");
            }
            assertTrue(before - probe.memoryInfo()[0] < (8L << 20), "freed on close");
        }
    }
}
