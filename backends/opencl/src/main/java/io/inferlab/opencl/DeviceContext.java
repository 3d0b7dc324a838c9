package io.inferlab.opencl;

import static org.jocl.CL.CL_BUILD_PROGRAM_FAILURE;
import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_SUCCESS;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

/**
 * One OpenCL context per device for the life of the JVM, with the device's compiled programs.
 * Backends on the same device share it: the second backend (a benchmark fork's next trial, a
 * test's second model) finds the kernels built and only creates its own kernel objects, queue
 * and buffers, which it releases on close. The context and programs hold no model memory.
 */
final class DeviceContext {
    /** Kernel sources, one op per file (with the parts some share, see {@link #source}), under this resource folder. */
    static final String KERNELS = "/io/inferlab/opencl/kernels/";
    /** A line of a kernel source that {@link #source} replaces by another source's text. */
    private static final Pattern INCLUDE = Pattern.compile("\\s*#include\\s+\"([\\w.]+\\.cl)\"\\s*");
    /** Build options for every program: OpenCL C 1.2, what PoCL and NVIDIA's driver both compile. */
    static final String BUILD_OPTIONS = "-cl-std=CL1.2";
    /**
     * Added where the device supports it ({@code CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT}; the option
     * is only valid then): correctly rounded divide and sqrt keep RMSNorm and the softmax closer to
     * the host's.
     */
    static final String CORRECTLY_ROUNDED = " -cl-fp32-correctly-rounded-divide-sqrt";

    private static final Map<String, DeviceContext> CONTEXTS = new HashMap<>();

    private final OpenClDevice device;
    private final cl_context context;
    private final String buildOptions;
    private final Map<String, cl_program> programs = new HashMap<>();
    private int builds;

    private DeviceContext(OpenClDevice device, cl_context context) {
        this.device = device;
        this.context = context;
        this.buildOptions = BUILD_OPTIONS + (correctlyRoundedDivideSqrt(device) ? CORRECTLY_ROUNDED : "");
    }

    private static boolean correctlyRoundedDivideSqrt(OpenClDevice device) {
        long[] config = new long[1];
        try {
            int rc = CL.clGetDeviceInfo(device.device(), CL.CL_DEVICE_SINGLE_FP_CONFIG, Sizeof.cl_ulong, Pointer.to(config),
                    null);
            return rc == CL_SUCCESS && (config[0] & CL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
        } catch (CLException e) {
            return false;
        }
    }

    /** The options every program of this device is built with. */
    String buildOptions() {
        return buildOptions;
    }

    /** The context of {@code device}, created on first use. */
    static synchronized DeviceContext of(OpenClDevice device) {
        String key = device.platformIndex() + ":" + device.deviceIndex();
        DeviceContext c = CONTEXTS.get(key);
        if (c == null) {
            c = new DeviceContext(device, create(device));
            CONTEXTS.put(key, c);
        }
        return c;
    }

    private static cl_context create(OpenClDevice device) {
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        int[] status = new int[1];
        try {
            cl_context ctx = CL.clCreateContext(props, 1, new cl_device_id[] {device.device()}, null, null, status);
            Cl.check(status[0], "clCreateContext(" + device.name() + ")");
            return ctx;
        } catch (CLException e) {
            throw Cl.translate(e, "clCreateContext(" + device.name() + ")");
        }
    }

    OpenClDevice device() {
        return device;
    }

    cl_context context() {
        return context;
    }

    /** Programs compiled in this context so far (each source once). */
    synchronized int builds() {
        return builds;
    }

    /** The compiled program of kernel source {@code file} (e.g. "matvec_q8_0.cl"), built on first use. */
    synchronized cl_program program(String file) {
        cl_program p = programs.get(file);
        if (p == null) {
            p = build(file, source(file));
            programs.put(file, p);
        }
        return p;
    }

    /**
     * Compiles {@code source} for this device.
     *
     * @throws KernelBuildException with the device's build log when the compiler rejects it
     */
    synchronized cl_program build(String name, String source) {
        int[] status = new int[1];
        cl_program p;
        try {
            p = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, status);
            Cl.check(status[0], "clCreateProgramWithSource(" + name + ")");
        } catch (CLException e) {
            throw Cl.translate(e, "clCreateProgramWithSource(" + name + ")");
        }
        int rc;
        try {
            rc = CL.clBuildProgram(p, 1, new cl_device_id[] {device.device()}, buildOptions, null, null);
        } catch (CLException e) {
            rc = e.getStatus();
        }
        if (rc != CL_SUCCESS) {
            String log = buildLog(p);
            CL.clReleaseProgram(p);
            throw new KernelBuildException(name, device.name(), rc == CL_BUILD_PROGRAM_FAILURE
                    ? "CL_BUILD_PROGRAM_FAILURE" : OpenClException.errorName(rc), log);
        }
        builds++;
        return p;
    }

    private String buildLog(cl_program p) {
        try {
            long[] size = new long[1];
            if (CL.clGetProgramBuildInfo(p, device.device(), CL_PROGRAM_BUILD_LOG, 0, null, size) != CL_SUCCESS) {
                return "(the device gave no build log)";
            }
            byte[] bytes = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(p, device.device(), CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
            String log = Cl.cString(bytes).strip();
            return log.isEmpty() ? "(the build log is empty)" : log;
        } catch (CLException e) {
            return "(the device gave no build log: " + OpenClException.errorName(e.getStatus()) + ")";
        }
    }

    /**
     * The text of kernel source {@code file} from the class path, each line {@code #include
     * "other.cl"} replaced by that file's text (its own includes expanded, and every file taken
     * once, as with {@code #pragma once}). A program is built from one string, where an
     * {@code #include} would need the sources on the device's file system; this is how the
     * quantized products share their bodies (quant_matvec.cl and quant_matmul.cl, over a
     * block_&lt;type&gt;.cl each).
     */
    static String source(String file) {
        return expand(file, new HashSet<>());
    }

    private static String expand(String file, Set<String> included) {
        if (!included.add(file)) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (String line : read(file).split("\n", -1)) {
            Matcher include = INCLUDE.matcher(line);
            text.append(include.matches() ? expand(include.group(1), included) : line).append('\n');
        }
        return text.toString();
    }

    private static String read(String file) {
        try (InputStream in = DeviceContext.class.getResourceAsStream(KERNELS + file)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + KERNELS + file + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel source " + KERNELS + file, e);
        }
    }
}
