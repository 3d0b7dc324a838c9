package io.inferlab.opencl;

import org.jocl.CL;

import io.inferlab.api.BackendFailedException;

/**
 * An OpenCL call that failed while the backend ran: names the call, the error constant and its
 * number, and what the backend was doing.
 */
public final class OpenClException extends BackendFailedException {
    private final int status;

    OpenClException(String call, int status) {
        super(call + " failed: " + errorName(status), null);
        this.status = status;
    }

    /** The OpenCL status code (negative), e.g. -4 for CL_MEM_OBJECT_ALLOCATION_FAILURE. */
    public int status() {
        return status;
    }

    /** "CL_OUT_OF_RESOURCES (-5)". */
    static String errorName(int status) {
        return CL.stringFor_errorCode(status) + " (" + status + ")";
    }
}
