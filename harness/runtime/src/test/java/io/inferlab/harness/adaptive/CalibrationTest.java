package io.inferlab.harness.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.ModelSource;
import io.inferlab.harness.adaptive.FaultyBackends.Fault;
import io.inferlab.harness.adaptive.FaultyBackends.Provider;
import io.inferlab.harness.results.ResultStore;
import io.inferlab.harness.results.RunMetadata;

class CalibrationTest {
    @TempDir
    Path root;

    @Test
    void calibratesEachBackendStoresTheRunAndTheSelectorReadsIt() throws IOException {
        Map<String, Provider> providers = Map.of("healthy", new Provider("healthy", Fault.NONE, 0),
                "broken", new Provider("broken", Fault.LOAD, 0));
        BackendOpener opener = id -> providers.get(id).open(ModelSource.gguf(Path.of("t.gguf")), BackendOptions.defaults());
        ResultStore store = new ResultStore(root);
        RunMetadata.Host host = new RunMetadata.Host(StoreFixtures.HOST, "cpu", 2, 2, 1L << 30, List.of(), "Linux", "25", null);

        Calibration.Outcome o = new Calibration(opener, store, Duration.ofSeconds(5)).run(List.of("broken", "healthy"), host, StoreFixtures.MODEL);

        assertNotNull(o.storedRun());
        Calibration.Result broken = o.results().get(0);
        assertNull(broken.decodeTokensPerSecond());
        assertTrue(broken.error().contains("injected load failure"), broken.error());
        Calibration.Result healthy = o.results().get(1);
        assertEquals(1000.0, healthy.decodeTokensPerSecond(), 1e-9, "1 ms per token");
        assertEquals(1.0, healthy.tpotMs(), 1e-9);
        assertEquals(1 + Calibration.REPEATS * 2, providers.get("healthy").requests.get(), "one warm-up, then a few prefills and decodes, no more");

        ResultStore.StoredRun run = store.runs().getFirst();
        assertEquals(Calibration.PROFILE, run.metadata().profile());
        StoredMeasurements m = StoredMeasurements.load(store, StoreFixtures.HOST, StoreFixtures.MODEL);
        assertEquals(1000.0, m.of("healthy").orElseThrow().decodeTokensPerSecond(), 1e-9);
        Selection s = new BackendSelector(SelectionConfig.DEFAULT).select(StoreFixtures.MODEL,
                List.of(Candidate.available("cpu", AccelerationType.CPU), Candidate.available("healthy", AccelerationType.CPU)),
                m, Objective.THROUGHPUT);
        assertEquals(List.of("healthy", "cpu"), s.backendIds(), "the calibrated backend now outranks the unmeasured one");
    }

    @Test
    void nothingIsStoredWhenNoBackendProducesANumber() throws IOException {
        Provider broken = new Provider("broken", Fault.LOAD, 0);
        BackendOpener opener = id -> broken.open(ModelSource.gguf(Path.of("t.gguf")), BackendOptions.defaults());
        RunMetadata.Host host = new RunMetadata.Host(StoreFixtures.HOST, "cpu", 2, 2, 1L << 30, List.of(), "Linux", "25", null);
        Calibration.Outcome o = new Calibration(opener, new ResultStore(root), Duration.ofSeconds(1)).run(List.of("broken"), host, StoreFixtures.MODEL);
        assertNull(o.storedRun());
        assertTrue(new ResultStore(root).runs().isEmpty());
    }
}
