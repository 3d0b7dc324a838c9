package io.inferlab.opencl;

/**
 * Keys of the {@link io.inferlab.api.DeviceInfo#properties()} that the {@code opencl} probe reports
 * for each device. Values are strings; numbers in decimal; flags "true"/"false".
 */
public final class OpenClDeviceProperties {
    /** Index of the device's platform in {@code clGetPlatformIDs}' list ("0"). */
    public static final String PLATFORM_INDEX = "platformIndex";
    /** Index of the device in its platform's {@code clGetDeviceIDs(CL_DEVICE_TYPE_ALL)} list ("0"). */
    public static final String DEVICE_INDEX = "deviceIndex";
    /** {@code CL_PLATFORM_NAME} ("Portable Computing Language"). */
    public static final String PLATFORM_NAME = "platformName";
    /** {@code CL_PLATFORM_VERSION} ("OpenCL 3.0 PoCL 3.1 ..."). */
    public static final String PLATFORM_VERSION = "platformVersion";
    /** {@code CL_DEVICE_TYPE}: "CPU", "GPU", "ACCELERATOR", "CUSTOM" (several joined with '|'). */
    public static final String DEVICE_TYPE = "deviceType";
    /** {@code CL_DEVICE_VENDOR}. */
    public static final String VENDOR = "vendor";
    /** {@code CL_DEVICE_MAX_COMPUTE_UNITS}. */
    public static final String COMPUTE_UNITS = "computeUnits";
    /** {@code CL_DEVICE_GLOBAL_MEM_SIZE} in bytes. */
    public static final String GLOBAL_MEMORY_BYTES = "globalMemoryBytes";
    /** {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE} in bytes: the largest single buffer. */
    public static final String MAX_ALLOCATION_BYTES = "maxAllocationBytes";
    /** {@code CL_DEVICE_LOCAL_MEM_SIZE} in bytes (work-group shared memory). */
    public static final String LOCAL_MEMORY_BYTES = "localMemoryBytes";
    /** {@code CL_DEVICE_MAX_WORK_GROUP_SIZE}. */
    public static final String MAX_WORK_GROUP_SIZE = "maxWorkGroupSize";
    /** {@code CL_DEVICE_OPENCL_C_VERSION} ("OpenCL C 1.2 PoCL"). */
    public static final String OPENCL_C_VERSION = "openclCVersion";
    /** {@code CL_DEVICE_VERSION} ("OpenCL 3.0 PoCL HSTR: ..."). */
    public static final String DEVICE_VERSION = "deviceVersion";
    /** {@code CL_DRIVER_VERSION}. */
    public static final String DRIVER_VERSION = "driverVersion";
    /** Whether {@code CL_DEVICE_EXTENSIONS} lists {@code cl_khr_fp16} (half-precision arithmetic). */
    public static final String FP16 = "fp16";
    /** Whether {@code CL_DEVICE_EXTENSIONS} lists {@code cl_khr_fp64} (double precision). */
    public static final String FP64 = "fp64";

    private OpenClDeviceProperties() {
    }
}
