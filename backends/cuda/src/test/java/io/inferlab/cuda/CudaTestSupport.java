package io.inferlab.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;

/** Whether this host has the NVIDIA driver library, asked of the dynamic linker directly (not through JCuda). */
final class CudaTestSupport {
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

    static boolean driverLibraryAbsent() {
        return !driverLibraryPresent();
    }
}
