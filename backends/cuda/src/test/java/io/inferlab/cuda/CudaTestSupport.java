package io.inferlab.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;

/** Whether this host has the NVIDIA driver library, asked of the dynamic linker directly (not through JCuda). */
public final class CudaTestSupport {
    private CudaTestSupport() {
    }

    static boolean driverLibraryPresent() {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup("libcuda.so.1", arena);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the driver reports a CUDA device: the condition of the tests that run kernels. */
    public static boolean gpuPresent() {
        return driverLibraryPresent() && CudaProbe.discover() instanceof CudaDiscovery.Found;
    }

    static boolean driverLibraryAbsent() {
        return !driverLibraryPresent();
    }
}
