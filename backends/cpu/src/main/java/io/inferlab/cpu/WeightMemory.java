package io.inferlab.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Native memory for weight copies, copied into by all of the pool's threads. First touching fresh
 * memory is most of what a copy costs on some machines (on the development VM, about 13 us per 4 KiB
 * page: 1.17 GB took 3.75 s to allocate with {@link Arena#allocate}, which zeroes it on the calling
 * thread, and 0.75 s more to copy). C's {@code malloc} hands out untouched pages instead, so the
 * copy is the first touch and the threads share it: in a microbenchmark the 1.17 GB took 2.7 s
 * with two threads against 5.0 s, and opening the 1b Q8_0 model 3.2 / 4.1 s against 4.6-5.4 s
 * (2026-11-27). Memory is freed with the arena.
 */
@SuppressWarnings("restricted") // malloc and free through FFM; the launcher enables native access
final class WeightMemory implements AutoCloseable {
    /** Bytes per copy task: small enough that the threads share even a 4 MB tensor (8 MiB chunks saved nothing). */
    private static final long CHUNK = 1L << 20;

    /**
     * Start of every copy: a cache line. malloc's 16-byte alignment left Q8_0 rows (2176 bytes
     * on the 1b preset) starting mid-line, and 1b Q8_0 decode ran 8% slower (21.0 against 22.9
     * tokens/s in an A/B of 6 runs each, 2026-11-27).
     */
    private static final long ALIGNMENT = 64;

    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;

    static {
        Linker linker = Linker.nativeLinker();
        MALLOC = linker.defaultLookup().find("malloc")
                .map(f -> linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG)))
                .orElse(null);
        FREE = linker.defaultLookup().find("free")
                .map(f -> linker.downcallHandle(f, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS)))
                .orElse(null);
    }

    private final Arena arena = Arena.ofShared();
    private final ParallelRunner runner;

    WeightMemory(ParallelRunner runner) {
        this.runner = runner;
    }

    /**
     * A copy of {@code source} in native memory, copied in chunks by the pool's threads (by the
     * caller alone when the workers may not read {@code source}); null when there is no memory for it.
     */
    MemorySegment copyOf(MemorySegment source) {
        long bytes = source.byteSize();
        MemorySegment copy = allocate(bytes);
        if (copy == null) {
            return null;
        }
        if (!runner.workersCanAccess(source)) {
            return copy.copyFrom(source);
        }
        long chunks = (bytes + CHUNK - 1) / CHUNK;
        runner.run(Math.toIntExact(chunks), 1, (worker, from, to) -> {
            long start = from * CHUNK;
            MemorySegment.copy(source, start, copy, start, Math.min(to * CHUNK, bytes) - start);
        });
        return copy;
    }

    /** {@code bytes} of untouched memory from malloc, freed with the arena (zeroed by the arena where there is no malloc). */
    private MemorySegment allocate(long bytes) {
        if (MALLOC == null || FREE == null) {
            try {
                return arena.allocate(Math.max(bytes, 1), ALIGNMENT).asSlice(0, bytes);
            } catch (OutOfMemoryError e) {
                return null;
            }
        }
        MemorySegment raw;
        try {
            raw = (MemorySegment) MALLOC.invokeExact(bytes + ALIGNMENT);
        } catch (Throwable e) {
            throw new IllegalStateException("malloc failed: " + e, e);
        }
        if (raw.equals(MemorySegment.NULL)) {
            return null;
        }
        long skip = -raw.address() & (ALIGNMENT - 1);
        return raw.reinterpret(bytes + ALIGNMENT, arena, WeightMemory::free).asSlice(skip, bytes);
    }

    private static void free(MemorySegment s) {
        try {
            FREE.invokeExact(s);
        } catch (Throwable e) {
            throw new IllegalStateException("free failed: " + e, e);
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
