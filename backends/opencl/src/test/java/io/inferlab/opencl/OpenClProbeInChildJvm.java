package io.inferlab.opencl;

import io.inferlab.api.ProbeResult;

/**
 * Probes OpenCL in a fresh JVM and prints one line: {@code AVAILABLE <devices>} or
 * {@code UNAVAILABLE <reason>}. The ICD loader reads {@code OCL_ICD_VENDORS} once per process, so a
 * test that changes it needs a process of its own.
 */
public final class OpenClProbeInChildJvm {
    private OpenClProbeInChildJvm() {
    }

    public static void main(String[] args) {
        ProbeResult r = new OpenClBackendProvider().probe();
        System.out.println(switch (r) {
            case ProbeResult.Available a -> "AVAILABLE " + a.devices().size();
            case ProbeResult.Unavailable u -> "UNAVAILABLE " + u.reason();
        });
    }
}
