package io.inferlab.opencl;

import static org.jocl.CL.CL_SUCCESS;

import java.nio.charset.StandardCharsets;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;

/**
 * Return-code checks for JOCL calls. JOCL reports errors as return values unless someone switched
 * on {@link CL#setExceptionsEnabled} for the whole JVM; {@link #translate} turns the exception of
 * that mode into the same {@link OpenClException}, so the backend works either way.
 */
final class Cl {
    private Cl() {
    }

    /** Throws {@link OpenClException} naming {@code call} unless {@code status} is CL_SUCCESS. */
    static void check(int status, String call) {
        if (status != CL_SUCCESS) {
            throw new OpenClException(call, status);
        }
    }

    /** The {@link OpenClException} for a {@link CLException} thrown in JOCL's exception mode. */
    static OpenClException translate(CLException e, String during) {
        return new OpenClException(during, e.getStatus());
    }

    /** A {@code size_t} device property ({@code CL_KERNEL_WORK_GROUP_SIZE} and the like). */
    static long kernelWorkGroupSize(org.jocl.cl_kernel kernel, cl_device_id device) {
        long[] value = new long[1];
        check(CL.clGetKernelWorkGroupInfo(kernel, device, CL.CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t,
                Pointer.to(value), null), "clGetKernelWorkGroupInfo(CL_KERNEL_WORK_GROUP_SIZE)");
        return value[0];
    }

    /** A NUL-terminated C string as returned by the info queries. */
    static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
