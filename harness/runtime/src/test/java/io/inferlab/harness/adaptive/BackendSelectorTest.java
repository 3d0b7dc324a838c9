package io.inferlab.harness.adaptive;

import static io.inferlab.harness.adaptive.StoreFixtures.HOST;
import static io.inferlab.harness.adaptive.StoreFixtures.MODEL;
import static io.inferlab.harness.adaptive.StoreFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.AccelerationType;
import io.inferlab.harness.adaptive.StoreFixtures.Numbers;
import io.inferlab.harness.results.ResultStore;
import io.inferlab.harness.results.RunMetadata;

class BackendSelectorTest {
    private static final List<Candidate> CANDIDATES = List.of(
            Candidate.available("cpu", AccelerationType.CPU),
            Candidate.available("llamacpp", AccelerationType.CPU),
            Candidate.available("opencl", AccelerationType.OPENCL),
            new Candidate("cuda", AccelerationType.CUDA, false, "libcuda.so.1 not found"));

    @TempDir
    Path root;

    private Selection select(Objective objective, SelectionConfig config) {
        StoredMeasurements m = StoredMeasurements.load(new ResultStore(root), HOST, MODEL);
        return new BackendSelector(config).select(MODEL, CANDIDATES, m, objective);
    }

    private Selection select(Objective objective) {
        return select(objective, SelectionConfig.DEFAULT);
    }

    private static String reasonFor(Selection s, String backend) {
        return s.excluded().stream().filter(e -> e.backend().equals(backend)).findFirst().orElseThrow().reason();
    }

    @Test
    void withoutDataTheDefaultPrioritiesDecide() {
        Selection s = select(Objective.THROUGHPUT);
        assertEquals(List.of("opencl", "cpu", "llamacpp"), s.backendIds());
        assertTrue(s.chain().getFirst().reason().contains("default priority 50"), s.chain().getFirst().reason());
        assertNull(s.chain().getFirst().measurement());
        assertTrue(reasonFor(s, "cuda").contains("libcuda.so.1"));
    }

    @Test
    void aFasterMeasuredBackendBeatsAHigherPriority() throws IOException {
        run(root, "r1", "2026-11-26T10:00:00Z", HOST, MODEL, List.of(
                new Numbers("cpu", 300.0, 5.0, 3.0), new Numbers("opencl", 100.0, 9.0, 8.0)));
        Selection s = select(Objective.THROUGHPUT);
        assertEquals(List.of("cpu", "opencl", "llamacpp"), s.backendIds());
        assertTrue(s.chain().getFirst().reason().contains("3.00x the decode tokens/s of opencl"), s.chain().getFirst().reason());
        assertTrue(s.chain().getLast().reason().contains("no stored measurement"));
    }

    @Test
    void latencyRanksByTtftThenTpot() throws IOException {
        run(root, "r1", "2026-11-26T10:00:00Z", HOST, MODEL, List.of(
                new Numbers("cpu", 300.0, 5.0, 3.0), new Numbers("llamacpp", 100.0, 2.0, 8.0), new Numbers("opencl", 900.0, 2.0, 1.0)));
        assertEquals(List.of("opencl", "llamacpp", "cpu"), select(Objective.LATENCY).backendIds());
        assertEquals(List.of("opencl", "cpu", "llamacpp"), select(Objective.THROUGHPUT).backendIds());
    }

    @Test
    void balancedWeighsThroughputAndTtft() throws IOException {
        run(root, "r1", "2026-11-26T10:00:00Z", HOST, MODEL, List.of(
                new Numbers("cpu", 1000.0, 100.0, 1.0), new Numbers("opencl", 900.0, 10.0, 1.0)));
        // cpu: (1 + 0.1)/2 = 0.55; opencl: (0.9 + 1)/2 = 0.95
        assertEquals("opencl", select(Objective.BALANCED).backendIds().getFirst());
    }

    @Test
    void aMismatchedHostOrModelIsIgnored() throws IOException {
        run(root, "other-host", "2026-11-26T12:00:00Z", "host-bbbb", MODEL, List.of(new Numbers("llamacpp", 9999.0, 1.0, 1.0)));
        run(root, "other-model", "2026-11-26T12:00:00Z", HOST, StoreFixtures.model("b".repeat(64), "llama", MODEL.tensorTypes()),
                List.of(new Numbers("llamacpp", 9999.0, 1.0, 1.0)));
        run(root, "mine", "2026-11-26T10:00:00Z", HOST, MODEL, List.of(new Numbers("cpu", 10.0, 5.0, 3.0)));
        Selection s = select(Objective.THROUGHPUT);
        assertEquals(List.of("cpu", "opencl", "llamacpp"), s.backendIds());
        assertTrue(s.skippedRuns().stream().anyMatch(r -> r.startsWith("other-host: host fingerprint host-bbbb")), s.skippedRuns().toString());
        assertTrue(s.skippedRuns().stream().anyMatch(r -> r.startsWith("other-model: model sha256")), s.skippedRuns().toString());
    }

    @Test
    void withoutSha256TheArchitectureAndTensorTypesIdentifyTheModel() throws IOException {
        run(root, "same", "2026-11-26T10:00:00Z", HOST, StoreFixtures.model(null, "llama", MODEL.tensorTypes()),
                List.of(new Numbers("llamacpp", 500.0, 1.0, 1.0)));
        run(root, "other-types", "2026-11-26T11:00:00Z", HOST, StoreFixtures.model(null, "llama", Map.of("Q4_0", 43)),
                List.of(new Numbers("cpu", 900.0, 1.0, 1.0)));
        Selection s = select(Objective.THROUGHPUT);
        assertEquals("llamacpp", s.backendIds().getFirst());
        assertTrue(s.skippedRuns().stream().anyMatch(r -> r.startsWith("other-types: tensor types")), s.skippedRuns().toString());
    }

    @Test
    void theNewestRunOfABackendWins() throws IOException {
        run(root, "old", "2026-11-25T10:00:00Z", HOST, MODEL, List.of(new Numbers("cpu", 10.0, null, null)));
        run(root, "new", "2026-11-26T10:00:00Z", HOST, MODEL, List.of(new Numbers("cpu", 20.0, null, null)));
        Selection s = select(Objective.THROUGHPUT);
        assertEquals(20.0, s.chain().getFirst().measurement().decodeTokensPerSecond());
        assertEquals("new", s.chain().getFirst().measurement().run());
    }

    @Test
    void thresholdsExcludeMeasuredBackends() throws IOException {
        run(root, "r1", "2026-11-26T10:00:00Z", HOST, MODEL, List.of(
                new Numbers("cpu", 300.0, 50.0, 3.0), new Numbers("opencl", 5.0, 9.0, 8.0)));
        SelectionConfig config = new SelectionConfig(null, new Thresholds(10.0, 20.0), null, null, null, null, null);
        Selection s = select(Objective.THROUGHPUT, config);
        assertEquals(List.of("llamacpp"), s.backendIds());
        assertTrue(reasonFor(s, "opencl").contains("decode 5.0 tok/s is below the minimum 10.0"), reasonFor(s, "opencl"));
        assertTrue(reasonFor(s, "cpu").contains("TTFT 50.0 ms is above the maximum 20.0 ms"), reasonFor(s, "cpu"));
    }

    @Test
    void corruptAndPartialRunsAreSkippedWithAReason() throws IOException {
        Path truncated = run(root, "truncated", "2026-11-26T11:00:00Z", HOST, MODEL, List.of(new Numbers("llamacpp", 9999.0, 1.0, 1.0)));
        Files.writeString(truncated.resolve(ResultStore.RESULT_FILE), "[{\"benchmark\": \"io.inf");
        Path partial = run(root, "partial", "2026-11-26T11:00:00Z", HOST, MODEL, List.of(new Numbers("llamacpp", 9999.0, 1.0, 1.0)));
        Files.delete(partial.resolve(ResultStore.METADATA_FILE));
        Path odd = run(root, "odd-entry", "2026-11-26T09:00:00Z", HOST, MODEL, List.of(new Numbers("cpu", 50.0, null, null)));
        Files.writeString(odd.resolve(ResultStore.RESULT_FILE), "[{\"benchmark\": \"" + StoredMeasurements.DECODE + "\"},"
                + "{\"benchmark\": \"" + StoredMeasurements.DECODE + "\", \"params\": {\"backend\": \"cpu\"}, "
                + "\"secondaryMetrics\": {\"tokens\": {\"score\": 50.0}}}]");
        Selection s = select(Objective.THROUGHPUT);
        assertEquals(List.of("cpu", "opencl", "llamacpp"), s.backendIds());
        assertTrue(s.skippedRuns().stream().anyMatch(r -> r.startsWith("truncated: corrupt or partial run")), s.skippedRuns().toString());
        assertTrue(s.skippedRuns().stream().anyMatch(r -> r.startsWith("partial: corrupt or partial run")), s.skippedRuns().toString());
        assertTrue(s.skippedRuns().stream().anyMatch(r -> r.startsWith("odd-entry: entry 1")), s.skippedRuns().toString());
    }

    @Test
    void backendsThatCannotRunTheModelAreExcluded() {
        RunMetadata.Model gptOss = StoreFixtures.model("c".repeat(64), "gpt-oss", Map.of("MXFP4", 24, "F32", 10));
        Selection s = new BackendSelector(SelectionConfig.DEFAULT).select(gptOss, CANDIDATES, StoredMeasurements.none(), Objective.THROUGHPUT);
        assertEquals(List.of("cpu", "llamacpp"), s.backendIds());
        assertTrue(reasonFor(s, "opencl").contains("does not run the gpt-oss architecture"), reasonFor(s, "opencl"));
    }

    @Test
    void pinAndExcludeFromTheConfig() throws IOException {
        run(root, "r1", "2026-11-26T10:00:00Z", HOST, MODEL, List.of(new Numbers("cpu", 300.0, 5.0, 3.0)));
        SelectionConfig config = new SelectionConfig(null, null, null, List.of("opencl"), Map.of("llamacpp", 5), null,
                List.of(new SelectionConfig.ModelEntry("stories260K", null, null, List.of("llamacpp"), null, null)));
        Selection s = select(Objective.THROUGHPUT, config);
        assertEquals(List.of("llamacpp", "cpu"), s.backendIds());
        assertTrue(s.chain().getFirst().reason().startsWith("pinned"));
        assertEquals("excluded by the selection config", reasonFor(s, "opencl"));
    }
}
