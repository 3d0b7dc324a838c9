package io.inferlab.harness.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures this machine's sustained memory read bandwidth, the ceiling of decode speed: decode
 * reads every weight once per token, so tokens/s &lt;= bandwidth / bytes per token. Reads a buffer
 * far larger than the caches with {@code threads} threads, each summing its own slice (the sum is
 * kept so the JIT cannot drop the reads), and returns the best of a few passes.
 */
public final class MemoryBandwidth {
    private MemoryBandwidth() {
    }

    /** Bytes per second read with {@code threads} threads over a {@code bytes}-byte buffer. */
    public static double measure(int threads, long bytes, int passes) {
        try (Arena arena = Arena.ofShared(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            MemorySegment buffer = arena.allocate(bytes, 64);
            buffer.fill((byte) 1); // touch every page so the first pass does not measure page faults
            long slice = bytes / threads / 64 * 64;
            double best = 0;
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

    /**
     * Sums the slice as longs with eight independent accumulators: scalar loads already issue far
     * more bytes per cycle than memory delivers, so this measures the memory, not the core. Not
     * the Vector API: this loop runs once per call over hundreds of megabytes, so HotSpot compiles
     * it on-stack (OSR), and with vector accumulators live across that entry it ran the API's
     * scalar fallback, which measured the fallback's speed (5-30 GB/s, varying run to run) instead
     * of the memory's.
     */
    private static long sum(MemorySegment s) {
        long a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0;
        long n = s.byteSize() - 64;
        long i = 0;
        for (; i <= n; i += 64) {
            a += s.get(ValueLayout.JAVA_LONG, i);
            b += s.get(ValueLayout.JAVA_LONG, i + 8);
            c += s.get(ValueLayout.JAVA_LONG, i + 16);
            d += s.get(ValueLayout.JAVA_LONG, i + 24);
            e += s.get(ValueLayout.JAVA_LONG, i + 32);
            f += s.get(ValueLayout.JAVA_LONG, i + 40);
            g += s.get(ValueLayout.JAVA_LONG, i + 48);
            h += s.get(ValueLayout.JAVA_LONG, i + 56);
        }
        for (; i + 8 <= s.byteSize(); i += 8) {
            a += s.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
        }
        return a + b + c + d + e + f + g + h;
    }
}
