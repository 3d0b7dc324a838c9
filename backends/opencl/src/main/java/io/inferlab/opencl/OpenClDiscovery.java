package io.inferlab.opencl;

import java.util.List;
import java.util.Objects;

/** What the OpenCL ICD loader said: the devices of every platform, or why there is nothing to use. */
public sealed interface OpenClDiscovery {

    /** At least one device, in platform order then device order. */
    record Found(List<OpenClDevice> devices) implements OpenClDiscovery {
        public Found {
            devices = List.copyOf(devices);
            if (devices.isEmpty()) {
                throw new IllegalArgumentException("an OpenCL discovery that found something has at least one device");
            }
        }
    }

    /** No usable OpenCL device; {@code reason} says why in words a user can act on. */
    record Failed(String reason) implements OpenClDiscovery {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
