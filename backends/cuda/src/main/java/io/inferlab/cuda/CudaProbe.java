package io.inferlab.cuda;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * The only code that touches the CUDA driver before a backend opens. It uses the driver API alone
 * ({@code libJCudaDriver} needs only {@code libcuda.so.1}; NVRTC is avoided because
 * {@code libnvrtc.so.12} is not installed with the driver).
 *
 * <p>The driver is asked once per JVM and the answer remembered: without a driver, JCuda's first
 * touch of {@link JCudaDriver} throws {@link UnsatisfiedLinkError} (its native library cannot
 * resolve {@code libcuda.so.1}), and every later touch {@link NoClassDefFoundError}. Remembering
 * the first answer keeps the real reason. On Linux the dynamic linker is asked for
 * {@code libcuda.so.1} before JCuda is touched at all, which gives the same answer faster.
 */
public final class CudaProbe {
    /** What the probe says on a host without the NVIDIA driver (the common case on CPU-only hosts). */
    static final String NO_DRIVER = "NVIDIA driver library libcuda.so.1 not found (no NVIDIA driver is installed "
            + "on this host)";

    private static final Pattern KERNEL_MODULE_RELEASE = Pattern.compile("Kernel Module\\s+(\\d+(?:\\.\\d+)+)");

    private static CudaDiscovery remembered;

    private CudaProbe() {
    }

    /** The devices of this host's CUDA driver, or why there are none; never throws. */
    public static synchronized CudaDiscovery discover() {
        if (remembered == null) {
            remembered = ask();
        }
        return remembered;
    }

    private static CudaDiscovery ask() {
        if (isLinux() && !linkerFinds("libcuda.so.1")) {
            // Asking the dynamic linker first costs a millisecond; letting JCuda find out costs the
            // extraction and failed load of its own library (0.1-0.5 s), for the same answer.
            return new CudaDiscovery.Failed(NO_DRIVER);
        }
        return askThroughJCuda();
    }

    /** Asks the driver through JCuda, turning every failure into a reason (not remembered; see {@link #discover}). */
    static CudaDiscovery askThroughJCuda() {
        try {
            return askDriver();
        } catch (LinkageError e) {
            return new CudaDiscovery.Failed(reasonFor(e));
        } catch (IllegalStateException e) {
            return new CudaDiscovery.Failed(e.getMessage());
        } catch (RuntimeException e) {
            return new CudaDiscovery.Failed("the CUDA driver probe failed: " + e);
        }
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").startsWith("Linux");
    }

    /** Whether the dynamic linker can load {@code library} (dlopen through the FFM API, closed again at once). */
    static boolean linkerFinds(String library) {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(library, arena);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        } catch (RuntimeException | LinkageError e) {
            // Native access refused or unsupported: let JCuda itself find out.
            return true;
        }
    }

    private static CudaDiscovery askDriver() {
        // Return codes are checked one by one so each failure names the call that failed.
        JCudaDriver.setExceptionsEnabled(false);
        int[] value = new int[1];
        int rc = JCudaDriver.cuDriverGetVersion(value);
        if (rc != CUresult.CUDA_SUCCESS) {
            return failed("cuDriverGetVersion", rc, "");
        }
        int driverVersion = value[0];
        String driver = "NVIDIA driver (CUDA " + CudaDiscovery.cudaVersion(driverVersion) + ")";
        rc = JCudaDriver.cuInit(0);
        if (rc == CUresult.CUDA_ERROR_NO_DEVICE) {
            return new CudaDiscovery.Failed(driver + " is installed but reports no CUDA device (cuInit: "
                    + CUresult.stringFor(rc) + ")");
        }
        if (rc != CUresult.CUDA_SUCCESS) {
            return failed("cuInit", rc, " with " + driver);
        }
        rc = JCudaDriver.cuDeviceGetCount(value);
        if (rc != CUresult.CUDA_SUCCESS) {
            return failed("cuDeviceGetCount", rc, " with " + driver);
        }
        int count = value[0];
        if (count == 0) {
            return new CudaDiscovery.Failed(driver + " is installed but reports no CUDA device");
        }
        List<CudaDevice> devices = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            CUdevice device = new CUdevice();
            rc = JCudaDriver.cuDeviceGet(device, i);
            if (rc != CUresult.CUDA_SUCCESS) {
                return failed("cuDeviceGet(" + i + ")", rc, " with " + driver);
            }
            byte[] name = new byte[256];
            rc = JCudaDriver.cuDeviceGetName(name, name.length, device);
            if (rc != CUresult.CUDA_SUCCESS) {
                return failed("cuDeviceGetName(" + i + ")", rc, " with " + driver);
            }
            int major = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
            int minor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            int sms = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
            long[] bytes = new long[1];
            rc = JCudaDriver.cuDeviceTotalMem(bytes, device);
            if (rc != CUresult.CUDA_SUCCESS) {
                return failed("cuDeviceTotalMem(" + i + ")", rc, " with " + driver);
            }
            devices.add(new CudaDevice(i, cString(name), major, minor, sms, bytes[0]));
        }
        return new CudaDiscovery.Found(driverVersion, driverRelease(Path.of("/proc/driver/nvidia/version")), devices);
    }

    /**
     * The NVIDIA kernel module's release from its version file ("NVRM version: NVIDIA UNIX x86_64
     * Kernel Module  580.65.06  Sun Jul 27 ..."), or "" when there is no such file or line.
     */
    static String driverRelease(Path versionFile) {
        try {
            if (!Files.isReadable(versionFile)) {
                return "";
            }
            Matcher m = KERNEL_MODULE_RELEASE.matcher(Files.readString(versionFile));
            return m.find() ? m.group(1) : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] value = new int[1];
        int rc = JCudaDriver.cuDeviceGetAttribute(value, attribute, device);
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException("cuDeviceGetAttribute(" + attribute + ") returned " + CUresult.stringFor(rc));
        }
        return value[0];
    }

    private static CudaDiscovery failed(String call, int rc, String context) {
        return new CudaDiscovery.Failed(call + " returned " + CUresult.stringFor(rc) + " (" + rc + ")" + context);
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8).trim();
    }

    /**
     * The user-facing reason for a failure to load JCuda's native driver binding: the missing
     * {@code libcuda.so.1} when the linker said so, else the linker's one line that says why.
     * (JCuda's message holds the nested stack traces of its load attempts, too long for a reason.)
     */
    static String reasonFor(LinkageError e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t.getMessage()).append('\n');
        }
        String line = linkerLine(chain.toString());
        if (line.contains("libcuda.so") && line.contains("cannot open shared object file")) {
            return NO_DRIVER;
        }
        if (e instanceof NoClassDefFoundError && !line.contains("cannot open") && !line.contains("undefined symbol")) {
            // JCudaDriver was touched before this probe; the JVM keeps only the first line of that
            // failure here, so ask the linker what JCuda could not.
            if (isLinux() && !linkerFinds("libcuda.so.1")) {
                return NO_DRIVER;
            }
            return "the JCuda driver binding failed to load earlier in this JVM: " + line;
        }
        return "the JCuda driver binding could not be loaded: " + line;
    }

    /** The line of a native-library load failure that says why ("cannot open shared object file", ...). */
    static String linkerLine(String message) {
        List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String line = lines.stream()
                .filter(l -> l.contains("cannot open shared object file") || l.contains("undefined symbol")
                        || l.contains("version `"))
                .findFirst().orElse(lines.isEmpty() ? "(no message)" : lines.getFirst());
        return line.replaceFirst("^java\\.lang\\.\\w+Error: ", "");
    }
}
