package io.inferlab.jmh;

import java.util.OptionalLong;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.harness.backends.Backends;

/**
 * The backend under test, opened once per trial (fork) so model loading is never measured. The
 * parameters name what the result is about: acceleration type, backend id ({@code auto} = the
 * first provider of that acceleration), model (preset or path) and tensor type.
 */
@State(Scope.Benchmark)
public class BackendState {
    @Param("CPU")
    public String acceleration;

    @Param("auto")
    public String backend;

    @Param("tiny")
    public String model;

    @Param("q8_0")
    public String type;

    /** Compute threads (0 = all cores). */
    @Param("0")
    public int threads;

    public InferenceBackend inference;

    @Setup(Level.Trial)
    public void open() {
        AccelerationType accel = AccelerationType.valueOf(acceleration);
        Backends backends = Backends.discover();
        String id = backend;
        if ("auto".equals(backend)) {
            id = backends.providers().stream().filter(p -> p.acceleration() == accel).map(BackendProvider::id)
                    .findFirst().orElseThrow(() -> new IllegalStateException("no backend provides " + accel));
        }
        if (backends.byId(id).acceleration() != accel) {
            throw new IllegalStateException("backend '" + id + "' does not run " + accel);
        }
        // The context holds the longest request the benchmarks make (suites: prompt + 150 tokens).
        inference = backends.open(id, ModelSource.gguf(ModelResolver.resolve(model, type)),
                BackendOptions.defaults().withThreads(threads).withContextLength(1024));
        InferenceMetrics.recordModelBytes(inference.model().weightBytes());
        InferenceMetrics.recordDeviceMemory(inference::deviceMemoryBytes);
    }

    @TearDown(Level.Trial)
    public void close() {
        if (inference != null) {
            // JMH runs the trial's teardown before the last iteration's profilers: they get the
            // figure of the open backend, not the 0 of a closed one.
            OptionalLong held = inference.deviceMemoryBytes();
            InferenceMetrics.recordDeviceMemory(() -> held);
            inference.close();
        }
    }
}
