package io.inferlab.harness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.ModelSource;
import io.inferlab.harness.adaptive.BackendOpener;
import io.inferlab.harness.adaptive.BackendSelector;
import io.inferlab.harness.adaptive.Calibration;
import io.inferlab.harness.adaptive.Candidate;
import io.inferlab.harness.adaptive.Objective;
import io.inferlab.harness.adaptive.Selection;
import io.inferlab.harness.adaptive.SelectionConfig;
import io.inferlab.harness.adaptive.StoredMeasurements;
import io.inferlab.harness.backends.Backends;
import io.inferlab.harness.detect.HardwareDetector;
import io.inferlab.harness.detect.HardwareProfile;
import io.inferlab.harness.results.ResultStore;
import io.inferlab.harness.results.RunMetadata;

/**
 * What {@code select} and {@code generate --backend auto} share: detect this machine, identify the
 * model (sha256, architecture, tensor types, as {@code bench} stores it), read the matching stored
 * runs and order the backends.
 */
final class AutoSelection {
    private AutoSelection() {
    }

    record Outcome(Selection selection, RunMetadata.Model model, String fingerprint, Path store, long selectNs) {
    }

    static Outcome select(Path model, Objective objective, Path results, Path configFile) throws IOException {
        return select(model, objective, results, configFile, null);
    }

    /**
     * As {@link #select(Path, Objective, Path, Path)}; with a {@code calibrationBudget}, when no
     * backend of the chain has a stored measurement, first calibrates the chain's backends (each
     * within the budget), stores that run and selects again.
     */
    static Outcome select(Path model, Objective objective, Path results, Path configFile, Duration calibrationBudget)
            throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("model file " + model + " does not exist");
        }
        SelectionConfig config = configFile != null ? SelectionConfig.read(configFile) : SelectionConfig.DEFAULT;
        if (objective == null) {
            objective = config.objective() != null ? Objective.parse(config.objective()) : Objective.THROUGHPUT;
        }
        ResultStore store = results != null ? new ResultStore(results) : ResultStore.standard();
        RunMetadata.Model identity = RunInfo.modelIdentity(model, null);
        HardwareProfile profile = HardwareDetector.detect();
        String fingerprint = profile.fingerprint().id();
        StoredMeasurements measurements = StoredMeasurements.load(store, fingerprint, identity);
        long t0 = System.nanoTime();
        Selection selection = new BackendSelector(config).select(identity, Candidate.from(profile), measurements, objective);
        long selectNs = System.nanoTime() - t0;
        if (calibrationBudget != null && !selection.chain().isEmpty()
                && selection.chain().stream().allMatch(e -> e.measurement() == null)) {
            new Calibration(BackendOpener.of(Backends.discover(), ModelSource.gguf(model), BackendOptions.defaults()), store,
                    calibrationBudget).run(selection.backendIds(), RunInfo.host(profile, 0), identity);
            measurements = StoredMeasurements.load(store, fingerprint, identity);
            t0 = System.nanoTime();
            selection = new BackendSelector(config).select(identity, Candidate.from(profile), measurements, objective);
            selectNs = System.nanoTime() - t0;
        }
        return new Outcome(selection, identity, fingerprint, store.root(), selectNs);
    }
}
