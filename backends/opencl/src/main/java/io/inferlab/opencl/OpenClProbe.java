package io.inferlab.opencl;

import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_OPENCL_C_VERSION;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_CUSTOM;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_NOT_FOUND_KHR;
import static org.jocl.CL.CL_PLATFORM_VERSION;
import static org.jocl.CL.CL_SUCCESS;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.Collectors;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * The only code that touches OpenCL before a backend opens. Asks the ICD loader once per JVM and
 * remembers the answer: a failed first touch of {@link CL} (no loader library) surfaces as
 * {@link UnsatisfiedLinkError} once and as {@link NoClassDefFoundError} afterwards, which no longer
 * says why.
 *
 * <p>Return codes are checked call by call, so this works whether or not someone has switched on
 * {@link CL#setExceptionsEnabled}; a {@link CLException} from that mode is caught too.
 */
public final class OpenClProbe {
    /** The Khronos ICD loader's soname on Linux, the library JOCL 2.0.6 loads. */
    static final String ICD_LOADER = "libOpenCL.so.1";
    static final String NO_LOADER = "OpenCL ICD loader library libOpenCL.so.1 not found (install ocl-icd-libopencl1 "
            + "and a driver such as pocl-opencl-icd)";

    private static OpenClDiscovery remembered;

    private OpenClProbe() {
    }

    /** Every OpenCL device of every platform, or why there is none; never throws. */
    public static synchronized OpenClDiscovery discover() {
        if (remembered == null) {
            remembered = ask();
        }
        return remembered;
    }

    private static OpenClDiscovery ask() {
        if (System.getProperty("os.name", "").startsWith("Linux") && !linkerFinds(ICD_LOADER)) {
            // Asked of the dynamic linker first: JOCL would otherwise extract and load its own
            // library only to fail, printing "Could not load libOpenCL.so.1" on stderr as it does.
            return new OpenClDiscovery.Failed(NO_LOADER);
        }
        try {
            return askLoader();
        } catch (CLException e) {
            return failure("OpenCL call failed", e.getStatus());
        } catch (ProbeFailure e) {
            return new OpenClDiscovery.Failed(e.getMessage());
        } catch (LinkageError e) {
            return new OpenClDiscovery.Failed(reasonFor(e));
        } catch (RuntimeException e) {
            return new OpenClDiscovery.Failed("the OpenCL probe failed: " + e);
        }
    }

    /** Whether the dynamic linker can load {@code library} (dlopen through the FFM API, closed again at once). */
    static boolean linkerFinds(String library) {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(library, arena);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        } catch (RuntimeException | LinkageError e) {
            // Native access refused or unsupported: let JOCL itself find out.
            return true;
        }
    }

    private static OpenClDiscovery askLoader() {
        int[] count = new int[1];
        int rc = CL.clGetPlatformIDs(0, null, count);
        if (rc != CL_SUCCESS || count[0] == 0) {
            return failure("clGetPlatformIDs", rc == CL_SUCCESS ? CL_PLATFORM_NOT_FOUND_KHR : rc);
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs");

        List<OpenClDevice> devices = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (int p = 0; p < platforms.length; p++) {
            cl_platform_id platform = platforms[p];
            String platformName = platformString(platform, CL_PLATFORM_NAME);
            String platformVersion = platformString(platform, CL_PLATFORM_VERSION);
            rc = CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
            if (rc == CL_DEVICE_NOT_FOUND || (rc == CL_SUCCESS && count[0] == 0)) {
                empty.add(platformName);
                continue;
            }
            check(rc, "clGetDeviceIDs(" + platformName + ")");
            cl_device_id[] ids = new cl_device_id[count[0]];
            check(CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null),
                    "clGetDeviceIDs(" + platformName + ")");
            for (int d = 0; d < ids.length; d++) {
                devices.add(read(p, d, platform, ids[d], platformName, platformVersion));
            }
        }
        if (devices.isEmpty()) {
            return new OpenClDiscovery.Failed("OpenCL platform(s) " + String.join(", ", empty) + " found, but with no device");
        }
        return new OpenClDiscovery.Found(devices);
    }

    private static OpenClDevice read(int platformIndex, int deviceIndex, cl_platform_id platform, cl_device_id device,
                                     String platformName, String platformVersion) {
        String extensions = deviceString(device, CL_DEVICE_EXTENSIONS);
        return new OpenClDevice(platformIndex, deviceIndex, platform, device, platformName, platformVersion,
                deviceString(device, CL_DEVICE_NAME), deviceString(device, CL_DEVICE_VENDOR),
                typeName(deviceLong(device, CL_DEVICE_TYPE, Sizeof.cl_ulong)),
                (int) deviceLong(device, CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint),
                deviceLong(device, CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_ulong),
                deviceLong(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, Sizeof.cl_ulong),
                deviceLong(device, CL_DEVICE_LOCAL_MEM_SIZE, Sizeof.cl_ulong),
                deviceLong(device, CL_DEVICE_MAX_WORK_GROUP_SIZE, Sizeof.size_t),
                deviceString(device, CL_DEVICE_OPENCL_C_VERSION), deviceString(device, CL_DEVICE_VERSION),
                deviceString(device, CL_DRIVER_VERSION),
                Arrays.stream(extensions.split("\\s+")).filter(s -> !s.isEmpty()).collect(Collectors.toSet()));
    }

    /** "CPU", "GPU", "ACCELERATOR", "CUSTOM", or several joined with '|'. */
    static String typeName(long type) {
        StringJoiner names = new StringJoiner("|");
        if ((type & CL_DEVICE_TYPE_CPU) != 0) {
            names.add("CPU");
        }
        if ((type & CL_DEVICE_TYPE_GPU) != 0) {
            names.add("GPU");
        }
        if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            names.add("ACCELERATOR");
        }
        if ((type & CL_DEVICE_TYPE_CUSTOM) != 0) {
            names.add("CUSTOM");
        }
        return names.length() == 0 ? "UNKNOWN(" + type + ")" : names.toString();
    }

    private static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        check(CL.clGetPlatformInfo(platform, param, 0, null, size), "clGetPlatformInfo(" + param + ")");
        byte[] bytes = new byte[(int) size[0]];
        check(CL.clGetPlatformInfo(platform, param, bytes.length, Pointer.to(bytes), null), "clGetPlatformInfo(" + param + ")");
        return cString(bytes);
    }

    private static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        check(CL.clGetDeviceInfo(device, param, 0, null, size), "clGetDeviceInfo(" + param + ")");
        byte[] bytes = new byte[(int) size[0]];
        check(CL.clGetDeviceInfo(device, param, bytes.length, Pointer.to(bytes), null), "clGetDeviceInfo(" + param + ")");
        return cString(bytes);
    }

    /** Reads a cl_uint, cl_ulong, cl_bitfield or size_t ({@code bytes} wide; x86-64 and ARM64 are little-endian). */
    private static long deviceLong(cl_device_id device, int param, int bytes) {
        long[] value = new long[1];
        check(CL.clGetDeviceInfo(device, param, bytes, Pointer.to(value), null), "clGetDeviceInfo(" + param + ")");
        return bytes == Sizeof.cl_uint ? value[0] & 0xFFFF_FFFFL : value[0];
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8).trim();
    }

    private static void check(int rc, String call) {
        if (rc != CL_SUCCESS) {
            throw new ProbeFailure(call + " returned " + CL.stringFor_errorCode(rc) + " (" + rc + ")");
        }
    }

    private static OpenClDiscovery failure(String call, int rc) {
        if (rc == CL_PLATFORM_NOT_FOUND_KHR) {
            String vendors = System.getenv("OCL_ICD_VENDORS");
            String where = vendors != null ? "OCL_ICD_VENDORS=" + vendors : "/etc/OpenCL/vendors";
            return new OpenClDiscovery.Failed("no OpenCL platform found (" + call + ": CL_PLATFORM_NOT_FOUND_KHR, "
                    + rc + "): no OpenCL driver (ICD) is registered in " + where
                    + "; install one, e.g. pocl-opencl-icd for the CPU or the GPU vendor's driver");
        }
        return new OpenClDiscovery.Failed(call + " returned " + CL.stringFor_errorCode(rc) + " (" + rc + ")");
    }

    /**
     * The user-facing reason for a failure to load JOCL: the missing ICD loader
     * ({@code libOpenCL.so.1}) when JOCL says it could not load the OpenCL library, else the first
     * line of its words.
     */
    static String reasonFor(LinkageError e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t.getMessage()).append('\n');
        }
        String all = chain.toString();
        if (all.contains("Could not initialize native OpenCL library") || all.contains("libOpenCL")) {
            return NO_LOADER;
        }
        String first = all.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("(no message)");
        if (e instanceof NoClassDefFoundError) {
            return "the JOCL binding failed to load earlier in this JVM: " + first;
        }
        return "the JOCL native binding could not be loaded (" + e.getClass().getSimpleName() + ": " + first + ")";
    }

    /** A failed OpenCL call, carried to {@link #ask()} with the call's name. */
    private static final class ProbeFailure extends RuntimeException {
        ProbeFailure(String message) {
            super(message, null, false, false);
        }
    }
}
