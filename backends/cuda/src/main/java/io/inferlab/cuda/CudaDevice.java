package io.inferlab.cuda;

import java.util.Objects;

/**
 * One CUDA device as the driver API reports it.
 *
 * @param index                  the driver's ordinal ({@code cuDeviceGet})
 * @param name                   {@code cuDeviceGetName}
 * @param computeCapabilityMajor {@code CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR}
 * @param computeCapabilityMinor {@code CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR}
 * @param multiprocessors        {@code CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT} (SMs)
 * @param totalMemoryBytes       {@code cuDeviceTotalMem}
 */
public record CudaDevice(int index, String name, int computeCapabilityMajor, int computeCapabilityMinor,
                         int multiprocessors, long totalMemoryBytes) {
    public CudaDevice {
        Objects.requireNonNull(name, "name");
        if (index < 0 || computeCapabilityMajor < 0 || computeCapabilityMinor < 0 || multiprocessors < 0
                || totalMemoryBytes < 0) {
            throw new IllegalArgumentException("negative CUDA device attribute for device " + index + " (" + name + ")");
        }
    }

    /** "8.0", as NVIDIA writes compute capabilities. */
    public String computeCapability() {
        return computeCapabilityMajor + "." + computeCapabilityMinor;
    }

    /** "sm_80", the architecture name nvcc takes. */
    public String smName() {
        return "sm_" + computeCapabilityMajor + computeCapabilityMinor;
    }

    /** Whether this device's compute capability is at least {@code major.minor}. */
    public boolean atLeast(int major, int minor) {
        return computeCapabilityMajor > major || (computeCapabilityMajor == major && computeCapabilityMinor >= minor);
    }
}
