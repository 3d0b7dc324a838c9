package io.inferlab.harness.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures this machine's sustained memory read bandwidth, the ceiling of decode speed: decode
 * reads every weight once per token, so tokens/s &lt;= bandwidth / bytes per token. Reads a buffer
 * far larger than the caches with {@code threads} threads, each summing its own slice (the sum is
 * kept so the JIT cannot drop the reads), and returns the best of a few passes.
 *
 * <p>An instance keeps its buffer and threads, so that it can measure again between benchmark
 * repetitions: on a shared machine the bandwidth moves by half within minutes, and a roofline
 * measured once at start-up then says more about the neighbours than about the kernels. Touching
 * a fresh buffer costs seconds (first-touch page faults), once.
 */
public final class MemoryBandwidth implements AutoCloseable {
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;

    private final int threads;
    private final Arena arena;
    private final ExecutorService pool;
    private final MemorySegment buffer;

    private MemoryBandwidth(int threads, long bytes) {
        this.threads = threads;
        this.arena = Arena.ofShared();
        this.pool = Executors.newFixedThreadPool(threads);
        try {
            this.buffer = arena.allocate(bytes, 64);
        } catch (RuntimeException | OutOfMemoryError e) {
            close();
            throw e;
        }
        buffer.fill((byte) 1); // touch every page so that no pass measures page faults
        MemorySegment warmUp = buffer.asSlice(0, Math.min(bytes, 64L << 20));
        for (int i = 0; i < 8; i++) {
            sum(warmUp); // gets chunk compiled before anything is timed
        }
    }

    /** A probe of {@code threads} threads over a {@code bytes}-byte buffer, allocated and touched now. */
    public static MemoryBandwidth allocate(int threads, long bytes) {
        if (threads < 1 || bytes < 64L * threads) {
            throw new IllegalArgumentException("need threads >= 1 and at least 64 bytes per thread, got " + threads + " and " + bytes);
        }
        return new MemoryBandwidth(threads, bytes);
    }

    /** Bytes per second read with {@code threads} threads over a {@code bytes}-byte buffer, measured once. */
    public static double measure(int threads, long bytes, int passes) {
        try (MemoryBandwidth probe = allocate(threads, bytes)) {
            return probe.measure(passes);
        }
    }

    /** Bytes per second: the best of {@code passes} reads of the whole buffer. */
    public double measure(int passes) {
        long slice = buffer.byteSize() / threads / 64 * 64;
        double best = 0;
        try {
            for (int pass = 0; pass < passes; pass++) {
                List<Callable<Long>> tasks = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    MemorySegment part = buffer.asSlice(t * slice, slice);
                    tasks.add(() -> sum(part));
                }
                long start = System.nanoTime();
                long check = 0;
                for (Future<Long> f : pool.invokeAll(tasks)) {
                    check += f.get();
                }
                long ns = System.nanoTime() - start;
                if (check == 42) {
                    System.out.print(""); // keeps the sums alive
                }
                best = Math.max(best, slice * threads * 1e9 / ns);
            }
            return best;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring memory bandwidth", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("memory bandwidth probe failed: " + e.getCause(), e.getCause());
        }
    }

    /** Frees the buffer and stops the threads. */
    @Override
    public void close() {
        pool.close();
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    /** Bytes {@link #chunk} sums per call. */
    private static final long CHUNK = 1 << 20;

    /** Sums the slice, one {@link #CHUNK} per call. */
    private static long sum(MemorySegment s) {
        long total = 0;
        for (long off = 0; off < s.byteSize(); off += CHUNK) {
            total += chunk(s, off, Math.min(off + CHUNK, s.byteSize()));
        }
        return total;
    }

    /**
     * Sums {@code [from, to)} as 64-byte vectors: one load and one add per cache line, so many
     * lines are in flight at once and the memory, not the core, is the limit. (Eight scalar
     * longs per line measured 30% less here: the out-of-order window then holds fewer lines.)
     * It is called once per mebibyte so HotSpot compiles it as a whole method; a single loop over
     * the whole buffer was compiled on-stack, where vectors live across the entry make the Vector
     * API run its scalar fallback, which measured the fallback instead of the memory.
     */
    private static long chunk(MemorySegment s, long from, long to) {
        LongVector a = LongVector.zero(LONGS);
        LongVector b = LongVector.zero(LONGS);
        long step = LONGS.vectorByteSize();
        long i = from;
        for (; i + 2 * step <= to; i += 2 * step) {
            a = a.add(LongVector.fromMemorySegment(LONGS, s, i, ByteOrder.LITTLE_ENDIAN));
            b = b.add(LongVector.fromMemorySegment(LONGS, s, i + step, ByteOrder.LITTLE_ENDIAN));
        }
        long total = a.add(b).reduceLanes(VectorOperators.ADD);
        for (; i + 8 <= to; i += 8) {
            total += s.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
        }
        return total;
    }
}
