package io.inferlab.cuda;

/**
 * Keys of the {@link io.inferlab.api.DeviceInfo#properties()} that the {@code cuda} and
 * {@code cuda-mxfp4} probes report. Values are strings; numbers in decimal.
 */
public final class CudaDeviceProperties {
    /** The driver's ordinal of the device ("0"). */
    public static final String DEVICE_INDEX = "deviceIndex";
    /** The CUDA version the installed driver supports ("13.0"), from {@code cuDriverGetVersion}. */
    public static final String DRIVER_VERSION = "driverVersion";
    /** The NVIDIA kernel module's release ("580.65.06"); absent where the OS does not say. */
    public static final String DRIVER_RELEASE = "driverRelease";
    /** Compute capability "major.minor" ("8.0"). */
    public static final String COMPUTE_CAPABILITY = "computeCapability";
    /** The architecture as nvcc names it ("sm_80"). */
    public static final String SM = "sm";
    /** Streaming multiprocessors ("108"). */
    public static final String MULTIPROCESSORS = "multiprocessors";
    /** Device memory in bytes, from {@code cuDeviceTotalMem}. */
    public static final String TOTAL_MEMORY_BYTES = "totalMemoryBytes";

    /** MXFP4 only: the minimum compute capability of our MXFP4 kernels ("7.5"). */
    public static final String MXFP4_MIN_COMPUTE_CAPABILITY = "mxfp4MinComputeCapability";
    /** MXFP4 only: whether the device has FP4 tensor cores (Blackwell) ("true"/"false"). */
    public static final String NATIVE_FP4_TENSOR_CORES = "nativeFp4TensorCores";
    /** MXFP4 only: the rule the verdict follows, in words ({@link Mxfp4Rule#RULE}). */
    public static final String MXFP4_RULE = "mxfp4Rule";

    private CudaDeviceProperties() {
    }
}
