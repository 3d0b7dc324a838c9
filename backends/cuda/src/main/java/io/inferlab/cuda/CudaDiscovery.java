package io.inferlab.cuda;

import java.util.List;
import java.util.Objects;

/** What the CUDA driver said: the driver version and its devices, or why there is nothing to use. */
public sealed interface CudaDiscovery {

    /**
     * The driver answered and has at least one device.
     *
     * @param driverVersion {@code cuDriverGetVersion}: 1000 * major + 10 * minor (13000 is CUDA 13.0)
     * @param driverRelease the kernel module's release ("580.65.06") from {@code /proc/driver/nvidia/version},
     *                      "" where the OS does not say
     */
    record Found(int driverVersion, String driverRelease, List<CudaDevice> devices) implements CudaDiscovery {
        public Found {
            driverRelease = driverRelease == null ? "" : driverRelease;
            devices = List.copyOf(devices);
            if (devices.isEmpty()) {
                throw new IllegalArgumentException("a CUDA discovery that found something has at least one device");
            }
        }

        /** "13.0": the CUDA version the driver supports, as nvidia-smi prints it. */
        public String driverCudaVersion() {
            return CudaDiscovery.cudaVersion(driverVersion);
        }
    }

    /** No usable CUDA device; {@code reason} says why in words a user can act on. */
    record Failed(String reason) implements CudaDiscovery {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Formats {@code cuDriverGetVersion}'s encoding (1000 * major + 10 * minor) as "major.minor". */
    static String cudaVersion(int encoded) {
        return (encoded / 1000) + "." + (encoded % 1000) / 10;
    }
}
