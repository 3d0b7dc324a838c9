package io.inferlab.opencl;

import java.nio.file.Path;
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
    void check(DeviceLimits limits, String device, Path model, int contextLength) {
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
