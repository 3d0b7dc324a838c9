package io.inferlab.harness.detect;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What one backend provider's probe said.
 *
 * @param reason  why it cannot run here; null when available
 * @param probeNs how long the probe took (the first probe in a JVM includes loading its native library)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProviderStatus(String id, boolean available, String reason, List<Device> devices, long probeNs) {
    public ProviderStatus {
        Objects.requireNonNull(id, "id");
        devices = List.copyOf(devices);
        if (available == (reason != null)) {
            throw new IllegalArgumentException("provider '" + id + "': a reason is given exactly when unavailable");
        }
    }
}
