package io.inferlab.api;

import java.util.List;
import java.util.Objects;

/** The outcome of probing a backend: a value, never an exception. */
public sealed interface ProbeResult {

    boolean isAvailable();

    /** The backend can run here, on these devices (at least one). */
    record Available(List<DeviceInfo> devices) implements ProbeResult {
        public Available {
            devices = List.copyOf(devices);
            if (devices.isEmpty()) {
                throw new IllegalArgumentException("an available backend has at least one device");
            }
        }

        public Available(DeviceInfo device) {
            this(List.of(device));
        }

        @Override
        public boolean isAvailable() {
            return true;
        }
    }

    /** The backend cannot run here; {@code reason} says why in words a user can act on. */
    record Unavailable(String reason) implements ProbeResult {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean isAvailable() {
            return false;
        }
    }
}
