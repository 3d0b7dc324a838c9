package io.inferlab.harness.detect;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.inferlab.api.AccelerationType;

/**
 * Everything detection found: the host, its fingerprint and one {@link AccelerationStatus} per
 * {@link AccelerationType}, in the enum's order. Serialized by {@link HardwareProfileJson}; the
 * schema is versioned by {@link #schemaVersion()} and only grows compatibly within a version.
 *
 * @param detectedAt      when detection ran (RFC 3339, UTC)
 * @param detectionNs     how long detection took in this JVM (host and probes, run concurrently)
 * @param discoveryErrors backend providers that could not even be loaded (broken service entries)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HardwareProfile(int schemaVersion, String detectedAt, long detectionNs, HostFingerprint fingerprint,
                              HostInfo host, List<AccelerationStatus> accelerations, List<String> discoveryErrors) {
    public static final int SCHEMA_VERSION = 1;

    public HardwareProfile {
        Objects.requireNonNull(detectedAt, "detectedAt");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(host, "host");
        accelerations = List.copyOf(accelerations);
        discoveryErrors = List.copyOf(discoveryErrors);
    }

    /** The row for {@code type}. */
    public Optional<AccelerationStatus> acceleration(AccelerationType type) {
        return accelerations.stream().filter(a -> a.acceleration() == type).findFirst();
    }
}
