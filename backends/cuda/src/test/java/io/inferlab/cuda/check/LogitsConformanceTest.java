package io.inferlab.cuda.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.runtime.EngineBackend;
import io.inferlab.engine.tensor.GgmlType;

/**
 * The check's cross-backend comparison run for real on this host: the cpu backend (Vector API)
 * against the scalar oracle on the check's random models passes, and a different model fails.
 */
class LogitsConformanceTest {

    @Test
    void theCpuBackendMatchesTheScalarOracleAtEveryPositionOfTheChecksModels(@TempDir Path dir) {
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.Q4_0}) {
            Path model = CheckModels.generate(CheckModels.CONFORMANCE, type, dir);
            try (InferenceBackend oracle = scalar(model);
                 InferenceBackend cpu = CudaCheck.provider("cpu").open(ModelSource.gguf(model),
                         BackendOptions.defaults().withThreads(2).withContextLength(128))) {
                int[] tokens = LogitsConformance.tokens(64, oracle.model().vocabularySize(), 1234);
                CheckResult r = LogitsConformance.compare("cpu " + type, oracle, cpu, tokens);
                assertTrue(r.passed(), r.detail());
                assertTrue(r.detail().contains("over 64 positions") && r.detail().contains("argmax agrees at 64/64"),
                        r.detail());
                assertTrue(r.maxError() <= r.tolerance());
            }
        }
    }

    @Test
    void theComparisonSpansMoreThanOnePrefillBatch(@TempDir Path dir) {
        Path model = CheckModels.generate(CheckModels.CONFORMANCE, GgmlType.Q4_0, dir);
        int n = EngineBackend.DEFAULT_MAX_BATCH + 44;
        try (InferenceBackend oracle = scalar(model);
             InferenceBackend cpu = CudaCheck.provider("cpu").open(ModelSource.gguf(model),
                     BackendOptions.defaults().withThreads(2).withContextLength(512))) {
            CheckResult r = LogitsConformance.compare("cpu Q4_0", oracle, cpu,
                    LogitsConformance.tokens(n, oracle.model().vocabularySize(), 1234));
            assertTrue(r.passed(), r.detail());
            assertTrue(r.detail().contains("over " + n + " positions"), r.detail());
        }
    }

    @Test
    void aDifferentModelFailsTheComparison(@TempDir Path dir) {
        Path f32 = CheckModels.generate(CheckModels.CONFORMANCE, GgmlType.F32, dir);
        Path q4 = CheckModels.generate(CheckModels.CONFORMANCE, GgmlType.Q4_0, dir);
        try (InferenceBackend a = scalar(f32); InferenceBackend b = scalar(q4)) {
            CheckResult r = LogitsConformance.compare("f32 vs q4_0", a, b, LogitsConformance.tokens(16, 1003, 5));
            assertFalse(r.passed(), r.detail());
            assertEquals("logits", r.group());
        }
    }

    @Test
    void tokensAreDeterministicAndAvoidTheSpecials() {
        int[] a = LogitsConformance.tokens(64, 1003, 1);
        assertEquals(64, a.length);
        assertTrue(java.util.Arrays.equals(a, LogitsConformance.tokens(64, 1003, 1)));
        assertTrue(java.util.Arrays.stream(a).allMatch(t -> t >= 3 && t < 1003));
    }

    private static InferenceBackend scalar(Path model) {
        return EngineBackend.open("scalar", AccelerationType.CPU, model, BackendOptions.defaults().withContextLength(512),
                threads -> new ScalarKernels());
    }
}
