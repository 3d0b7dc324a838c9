package io.inferlab.engine.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

import io.inferlab.api.BackendOptions;

/**
 * Whether a host backend (the CPU kernels, llama.cpp) copies a model's weights into memory or
 * reads them in place from the file mapping ({@link BackendOptions#mmap()}), and why. Copying is the default, but only for a model
 * that fits: a copy larger than the memory the OS has available would not fail cleanly (Linux
 * overcommits, and the OOM killer ends the JVM) or would push the machine into swapping, where a
 * mapping only pages. So a model larger than {@link #SHARE} of the available memory stays mapped,
 * and the compute mode says why.
 *
 * @param inMemory whether the weights are copied into memory
 * @param reason   why they stay mapped when the caller did not ask for that (empty otherwise)
 */
public record WeightResidency(boolean inMemory, String reason) {
    /** Weights copied into memory. */
    public static final WeightResidency IN_MEMORY = new WeightResidency(true, "");
    /** Weights read in place, as asked. */
    public static final WeightResidency MAPPED = new WeightResidency(false, "");
    /** The share of available memory a model may take when copied. */
    public static final double SHARE = 0.75;

    /** For {@code model} under {@code options}: mapped when asked, or when it does not fit in {@link #SHARE} of the available memory. */
    public static WeightResidency of(BackendOptions options, Path model) {
        if (options.mmap()) {
            return MAPPED;
        }
        long bytes;
        try {
            bytes = Files.size(model);
        } catch (IOException e) {
            return IN_MEMORY; // opening the file reports what is wrong with it
        }
        return fitting(bytes, availableMemory());
    }

    /** In memory when {@code bytes} of weights fit in {@link #SHARE} of {@code available} (unknown: they do). */
    public static WeightResidency fitting(long bytes, OptionalLong available) {
        if (available.isEmpty() || bytes <= SHARE * available.getAsLong()) {
            return IN_MEMORY;
        }
        return new WeightResidency(false, String.format(Locale.ROOT, "%.1f GB of weights, %.1f GB of memory available",
                bytes / 1e9, available.getAsLong() / 1e9));
    }

    /**
     * Memory the OS can give without swapping: Linux's {@code MemAvailable} (free memory plus the
     * page cache it can reclaim), else what the JVM's operating-system bean calls free.
     */
    static OptionalLong availableMemory() {
        try {
            OptionalLong fromProc = memAvailable(Files.readAllLines(Path.of("/proc/meminfo")));
            if (fromProc.isPresent()) {
                return fromProc;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc is not readable: fall back to the bean
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long free = os.getFreeMemorySize();
            return free > 0 ? OptionalLong.of(free) : OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** The {@code MemAvailable: N kB} line of /proc/meminfo, in bytes. */
    static OptionalLong memAvailable(Iterable<String> meminfo) {
        for (String line : meminfo) {
            if (line.startsWith("MemAvailable:")) {
                String[] parts = line.substring("MemAvailable:".length()).strip().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /** For the compute mode: "weights in memory", "weights mapped", or the reason they are mapped. */
    public String describe() {
        return inMemory ? "weights in memory" : reason.isEmpty() ? "weights mapped" : "weights mapped (" + reason + ")";
    }
}
