package io.inferlab.opencl;

/**
 * What a device can hold: {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE} (the largest single buffer) and
 * {@code CL_DEVICE_GLOBAL_MEM_SIZE} (all buffers together).
 */
record DeviceLimits(long maxAllocationBytes, long globalMemoryBytes) {
    DeviceLimits {
        if (maxAllocationBytes <= 0 || globalMemoryBytes <= 0) {
            throw new IllegalArgumentException("device limits must be positive, got " + maxAllocationBytes + " / "
                    + globalMemoryBytes);
        }
    }

    static DeviceLimits of(OpenClDevice d) {
        return new DeviceLimits(d.maxAllocationBytes(), d.globalMemoryBytes());
    }
}
