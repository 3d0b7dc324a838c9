package io.inferlab.harness.detect;

import java.util.Objects;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendProvider;

/** A provider that loaded, with the id and acceleration it answered (asked once, in isolation). */
public record DiscoveredProvider(BackendProvider provider, String id, AccelerationType acceleration) {
    public DiscoveredProvider {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(acceleration, "acceleration");
    }
}
