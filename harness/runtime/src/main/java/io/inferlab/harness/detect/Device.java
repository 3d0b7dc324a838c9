package io.inferlab.harness.detect;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.inferlab.api.DeviceInfo;

/**
 * A device a backend's probe found ({@link DeviceInfo} in the profile's schema).
 *
 * @param properties the probe's properties, sorted by key (keys are each backend's documented constants)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Device(String name, String description, long memoryBytes, Map<String, String> properties) {
    public Device {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        properties = Collections.unmodifiableMap(new TreeMap<>(properties == null ? Map.of() : properties));
    }

    public static Device of(DeviceInfo d) {
        return new Device(d.name(), d.description(), d.memoryBytes(), d.properties());
    }
}
