package io.inferlab.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.UnsupportedModelException;
import io.inferlab.cuda.check.CheckModels;
import io.inferlab.cuda.check.CheckResult;
import io.inferlab.cuda.check.KernelConformance;
import io.inferlab.cuda.check.LogitsConformance;
import io.inferlab.cuda.runtime.CudaContext;
import io.inferlab.engine.SharedModels;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.runtime.EngineBackend;
import io.inferlab.engine.tensor.GgmlType;

/** The CUDA backend on a real GPU; every test is skipped (with the reason) where there is none. */
@EnabledIf(value = "io.inferlab.cuda.CudaTestSupport#gpuPresent", disabledReason = "no CUDA device on this host")
class CudaGpuConformanceTest {

    private static CudaDevice device() {
        return ((CudaDiscovery.Found) CudaProbe.discover()).devices().getFirst();
    }

    @Test
    void everyKernelMatchesTheScalarReference() {
        try (CudaContext cx = CudaContext.open(device())) {
            List<CheckResult> failed = new KernelConformance(cx).runAll().stream().filter(r -> !r.passed()).toList();
            assertTrue(failed.isEmpty(), failed.stream().map(r -> r.name() + ": " + r.detail())
                    .collect(Collectors.joining("\n")));
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0", "Q4_0"})
    void logitsMatchTheScalarOracleAtEveryPosition(GgmlType type, @TempDir Path dir) {
        Path model = CheckModels.generate(CheckModels.CONFORMANCE, type, dir);
        try (InferenceBackend oracle = EngineBackend.open("scalar", AccelerationType.CPU, model,
                BackendOptions.defaults().withContextLength(128), t -> new ScalarKernels());
             InferenceBackend cuda = new CudaBackendProvider().open(ModelSource.gguf(model),
                     BackendOptions.defaults().withContextLength(128))) {
            CheckResult r = LogitsConformance.compare(type.name(), oracle, cuda, LogitsConformance.tokens(64, 1003, 9));
            assertTrue(r.passed(), r.detail());
            assertTrue(cuda.computeMode().contains("CUDA"), cuda.computeMode());
        }
    }

    @Test
    void storiesGreedyTextIsTheReference() {
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        try (InferenceBackend cuda = new CudaBackendProvider().open(ModelSource.gguf(model), BackendOptions.defaults())) {
            String text = cuda.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100), (t, p) -> { }).text();
            assertEquals(SharedModels.STORIES_REFERENCE_TEXT, SharedModels.STORIES_PROMPT + text);
        }
    }

    @Test
    void theMxfp4ProviderRefusesAModelWithoutMxfp4Weights(@TempDir Path dir) {
        Path model = CheckModels.generate(CheckModels.CONFORMANCE, GgmlType.Q8_0, dir);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> new Mxfp4BackendProvider().open(ModelSource.gguf(model), BackendOptions.defaults()));
        assertTrue(e.getMessage().contains("has none"), e.getMessage());
    }
}
