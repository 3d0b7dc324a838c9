package io.inferlab.cuda.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.cpu.CpuBackendProvider;
import io.inferlab.engine.GptOssReference;
import io.inferlab.engine.SharedModels;

/**
 * The check's own reader of tiny-gpt-oss.reference.json (the runnable check has no test classes)
 * agrees with the engine's test helper, and passes the CPU backend, which the engine tests hold to
 * that reference. Skips when ../shared/models lacks the files.
 */
class TinyGptOssReferenceTest {

    @Test
    void theChecksReaderSeesTheSameStepsAsTheEnginesHelper() {
        List<GptOssReference.Prompt> engine = GptOssReference.load();
        List<TinyGptOssReference.Prompt> ours = TinyGptOssReference.load(SharedModels.require(TinyGptOssReference.FILE));
        assertEquals(engine.size(), ours.size());
        for (int i = 0; i < ours.size(); i++) {
            assertEquals(engine.get(i).prompt(), ours.get(i).prompt());
            assertEquals(java.util.Arrays.toString(engine.get(i).teacherForced()),
                    java.util.Arrays.toString(ours.get(i).teacherForced()));
            assertEquals(engine.get(i).steps().size(), ours.get(i).steps().size());
            assertEquals(engine.get(i).steps().stream().filter(GptOssReference.Step::clear).count(),
                    ours.get(i).steps().stream().filter(TinyGptOssReference.Step::clear).count());
        }
    }

    @Test
    void theCpuBackendPassesTheCheck() {
        try (InferenceBackend cpu = new CpuBackendProvider().open(
                ModelSource.gguf(SharedModels.require(TinyGptOssReference.MODEL)),
                BackendOptions.defaults().withThreads(2).withContextLength(256))) {
            List<CheckResult> results = TinyGptOssReference.check(cpu, SharedModels.require(TinyGptOssReference.FILE));
            assertFalse(results.isEmpty());
            for (CheckResult r : results) {
                assertTrue(r.passed(), r.name() + ": " + r.detail());
                assertTrue(r.detail().contains("top-1 equal on"), r.detail());
            }
        }
    }
}
