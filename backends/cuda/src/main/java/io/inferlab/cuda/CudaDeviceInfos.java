package io.inferlab.cuda;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.inferlab.api.DeviceInfo;

/** Turns what the driver said about a device into the API's {@link DeviceInfo}. */
final class CudaDeviceInfos {
    private CudaDeviceInfos() {
    }

    /** The properties every CUDA-based probe reports for {@code device} (keys in {@link CudaDeviceProperties}). */
    static Map<String, String> properties(CudaDiscovery.Found driver, CudaDevice device) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(CudaDeviceProperties.DEVICE_INDEX, Integer.toString(device.index()));
        p.put(CudaDeviceProperties.DRIVER_VERSION, driver.driverCudaVersion());
        if (!driver.driverRelease().isEmpty()) {
            p.put(CudaDeviceProperties.DRIVER_RELEASE, driver.driverRelease());
        }
        p.put(CudaDeviceProperties.COMPUTE_CAPABILITY, device.computeCapability());
        p.put(CudaDeviceProperties.SM, device.smName());
        p.put(CudaDeviceProperties.MULTIPROCESSORS, Integer.toString(device.multiprocessors()));
        p.put(CudaDeviceProperties.TOTAL_MEMORY_BYTES, Long.toString(device.totalMemoryBytes()));
        return p;
    }

    /** "compute capability 8.0 (sm_80), 108 SMs, 79.2 GiB, driver 580.65.06 (CUDA 13.0)". */
    static String description(CudaDiscovery.Found driver, CudaDevice device) {
        return String.format(Locale.ROOT, "compute capability %s (%s), %d SMs, %.1f GiB, driver %s(CUDA %s)",
                device.computeCapability(), device.smName(), device.multiprocessors(),
                device.totalMemoryBytes() / (double) (1L << 30),
                driver.driverRelease().isEmpty() ? "" : driver.driverRelease() + " ", driver.driverCudaVersion());
    }

    static DeviceInfo of(CudaDiscovery.Found driver, CudaDevice device) {
        return new DeviceInfo(device.name(), description(driver, device), device.totalMemoryBytes(),
                properties(driver, device));
    }
}
