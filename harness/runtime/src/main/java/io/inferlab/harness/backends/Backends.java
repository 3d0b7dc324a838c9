package io.inferlab.harness.backends;

import java.util.List;
import java.util.stream.Collectors;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.BackendUnavailableException;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ProbeResult;
import io.inferlab.harness.detect.DiscoveredProvider;
import io.inferlab.harness.detect.IsolatedProbe;
import io.inferlab.harness.detect.ProviderDiscovery;

/** The backend providers on the class path, found through {@link java.util.ServiceLoader}. */
public final class Backends {
    private final List<BackendProvider> providers;

    public Backends(List<BackendProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /** The providers that load; a broken one is skipped rather than failing the search (see {@link ProviderDiscovery}). */
    public static Backends discover() {
        return new Backends(ProviderDiscovery.discover().providers().stream().map(DiscoveredProvider::provider).toList());
    }

    public List<BackendProvider> providers() {
        return providers;
    }

    public BackendProvider byId(String id) {
        return providers.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new BackendUnavailableException("no backend '" + id + "' (installed: "
                        + providers.stream().map(BackendProvider::id).collect(Collectors.joining(", ")) + ")"));
    }

    /** Opens {@code model} on backend {@code id} after checking that the backend can run here. */
    public InferenceBackend open(String id, ModelSource model, BackendOptions options) {
        BackendProvider provider = byId(id);
        ProbeResult probe = IsolatedProbe.run(new DiscoveredProvider(provider, id, provider.acceleration())).result();
        if (probe instanceof ProbeResult.Unavailable u) {
            throw new BackendUnavailableException("backend '" + id + "' is unavailable here: " + u.reason());
        }
        return provider.open(model, options);
    }
}
