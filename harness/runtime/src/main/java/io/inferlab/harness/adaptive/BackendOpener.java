package io.inferlab.harness.adaptive;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.harness.backends.Backends;

/** Opens the model on a backend by id; how {@link AdaptiveInference} loads each position of its chain. */
@FunctionalInterface
public interface BackendOpener {
    InferenceBackend open(String backendId);

    /** Opens through {@link Backends#open}, which probes the backend first. */
    static BackendOpener of(Backends backends, ModelSource model, BackendOptions options) {
        return id -> backends.open(id, model, options);
    }
}
