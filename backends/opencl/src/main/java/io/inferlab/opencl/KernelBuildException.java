package io.inferlab.opencl;

import io.inferlab.api.BackendFailedException;

/** An OpenCL C program the device's compiler rejected; the message carries the device's build log. */
public final class KernelBuildException extends BackendFailedException {
    private final String buildLog;

    KernelBuildException(String program, String device, String status, String buildLog) {
        super("OpenCL program " + program + " failed to build for device '" + device + "' (" + status
                + "); build log:\n" + buildLog, null);
        this.buildLog = buildLog;
    }

    /** The compiler's output as the device reported it. */
    public String buildLog() {
        return buildLog;
    }
}
