package io.inferlab.opencl;

import static org.jocl.CL.CL_INVALID_BUFFER_SIZE;
import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_OUT_OF_HOST_MEMORY;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.inferlab.api.UnsupportedModelException;

/**
 * Every buffer a model needs on the device, one entry per buffer, by kind, checked against the
 * device's limits before anything is allocated, so a model that cannot fit fails at load with sizes a user can act on
 * rather than with an OpenCL error code half-way through the upload.
 */
final class MemoryPlan {
    enum Kind { WEIGHTS, KV_CACHE, WORK }

    record Entry(String name, Kind kind, long bytes) {
    }

    private final List<Entry> entries = new ArrayList<>();

    MemoryPlan add(String name, Kind kind, long bytes) {
        entries.add(new Entry(name, kind, bytes));
        return this;
    }

    long bytes(Kind kind) {
        return entries.stream().filter(e -> e.kind() == kind).mapToLong(Entry::bytes).sum();
    }

    long totalBytes() {
        return entries.stream().mapToLong(Entry::bytes).sum();
    }

    /**
     * @throws UnsupportedModelException naming a buffer that exceeds the largest allocation (a
     *         weight tensor first: the user can shrink the others with a smaller context), or the
     *         total against the device's memory (with a hint when a smaller context would fit)
     */
    void check(DeviceLimits limits, String device, Object model, int contextLength) {
        Comparator<Entry> weightsFirst = Comparator.comparing((Entry e) -> e.kind() != Kind.WEIGHTS)
                .thenComparing(Comparator.comparingLong(Entry::bytes).reversed());
        Entry tooLarge = entries.stream().filter(e -> e.bytes() > limits.maxAllocationBytes()).min(weightsFirst)
                .orElse(null);
        if (tooLarge != null) {
            throw new UnsupportedModelException(String.format(Locale.ROOT,
                    "%s does not fit on OpenCL device '%s': %s needs %s in one buffer, the device allows at most %s "
                            + "per buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE)%s",
                    model, device, tooLarge.name(), size(tooLarge.bytes()), size(limits.maxAllocationBytes()),
                    tooLarge.kind() == Kind.WEIGHTS ? "" : "; a smaller --context may make it fit"));
        }
        long total = totalBytes();
        if (total > limits.globalMemoryBytes()) {
            long weights = bytes(Kind.WEIGHTS);
            String hint = weights < limits.globalMemoryBytes()
                    ? "; the weights alone fit, so a smaller --context (a shorter KV cache) may make it fit" : "";
            throw new UnsupportedModelException(String.format(Locale.ROOT,
                    "%s does not fit on OpenCL device '%s': it needs %s of device memory (weights %s, KV cache of %d "
                            + "positions %s, work buffers %s), the device has %s (CL_DEVICE_GLOBAL_MEM_SIZE)%s",
                    model, device, size(total), size(weights), contextLength, size(bytes(Kind.KV_CACHE)),
                    size(bytes(Kind.WORK)), size(limits.globalMemoryBytes()), hint));
        }
    }

    /**
     * The error for an allocation that failed half-way through a load although the plan passed
     * {@link #check} (drivers report less than they have, or other programs hold memory):
     * {@link UnsupportedModelException} with the sizes when the status says "out of memory",
     * else {@code e} itself.
     */
    RuntimeException outOfMemory(OpenClException e, Object model, String device, DeviceArena arena, DeviceLimits limits) {
        if (!isOutOfMemory(e.status())) {
            return e;
        }
        return new UnsupportedModelException(String.format(Locale.ROOT,
                "%s does not fit on OpenCL device '%s': out of device memory after %s were allocated (%s); "
                        + "the model needs %s in all, the device reports %s",
                model, device, size(arena.allocatedBytes()), e.getMessage(), size(totalBytes()),
                size(limits.globalMemoryBytes())));
    }

    static boolean isOutOfMemory(int status) {
        return status == CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL_OUT_OF_RESOURCES
                || status == CL_OUT_OF_HOST_MEMORY || status == CL_INVALID_BUFFER_SIZE;
    }

    /** Bytes of a {@code rows x cols} float buffer, overflow checked. */
    static long floats(long rows, long cols) {
        return Math.multiplyExact(Math.multiplyExact(rows, cols), (long) Float.BYTES);
    }

    /** "1.50 GiB", "12.0 MiB", "300 KiB", "12 bytes". */
    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        if (bytes >= 1L << 10) {
            return String.format(Locale.ROOT, "%d KiB", bytes >> 10);
        }
        return bytes + " bytes";
    }
}
