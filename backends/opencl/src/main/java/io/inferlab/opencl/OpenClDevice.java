package io.inferlab.opencl;

import java.util.Objects;
import java.util.Set;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device with what the probe read about it. The handles stay valid for the life of the
 * process (platforms and devices are never released), so a backend can create its context on them.
 *
 * @param extensions {@code CL_DEVICE_EXTENSIONS}, split on spaces
 */
public record OpenClDevice(int platformIndex, int deviceIndex, cl_platform_id platform, cl_device_id device,
                           String platformName, String platformVersion, String name, String vendor, String type,
                           int computeUnits, long globalMemoryBytes, long maxAllocationBytes, long localMemoryBytes,
                           long maxWorkGroupSize, String openClCVersion, String deviceVersion, String driverVersion,
                           Set<String> extensions) {
    public OpenClDevice {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(name, "name");
        extensions = Set.copyOf(extensions);
    }

    /** Whether the device does half-precision arithmetic ({@code cl_khr_fp16}). */
    public boolean fp16() {
        return extensions.contains("cl_khr_fp16");
    }

    /** Whether the device does double-precision arithmetic ({@code cl_khr_fp64}). */
    public boolean fp64() {
        return extensions.contains("cl_khr_fp64");
    }
}
