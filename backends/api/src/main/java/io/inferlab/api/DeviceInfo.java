package io.inferlab.api;

import java.util.Map;
import java.util.Objects;

/**
 * What a probe found: a device's display name, a one-line description, its memory (0 when not
 * applicable or unknown) and free-form properties (driver version, compute capability, ...).
 */
public record DeviceInfo(String name, String description, long memoryBytes, Map<String, String> properties) {
    public DeviceInfo {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes must be >= 0, got " + memoryBytes);
        }
        properties = Map.copyOf(properties == null ? Map.of() : properties);
    }
}
