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
     * Sums the slice as 512-bit (or the preferred width) vectors with four independent
     * accumulators, so the loop issues loads as fast as the core can and measures the memory,
     * not a scalar add chain.
     */
    private static long sum(MemorySegment s) {
        VectorSpecies<Long> species = LongVector.SPECIES_PREFERRED;
        long step = species.vectorByteSize();
        LongVector a = LongVector.zero(species);
        LongVector b = a;
        LongVector c = a;
        LongVector d = a;
        long n = s.byteSize() - 4 * step;
        long i = 0;
        for (; i <= n; i += 4 * step) {
            a = a.add(LongVector.fromMemorySegment(species, s, i, ByteOrder.nativeOrder()));
            b = b.add(LongVector.fromMemorySegment(species, s, i + step, ByteOrder.nativeOrder()));
            c = c.add(LongVector.fromMemorySegment(species, s, i + 2 * step, ByteOrder.nativeOrder()));
            d = d.add(LongVector.fromMemorySegment(species, s, i + 3 * step, ByteOrder.nativeOrder()));
        }
        long tail = 0;
        for (; i + 8 <= s.byteSize(); i += 8) {
            tail += s.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
        }
        return a.add(b).add(c).add(d).reduceLanes(VectorOperators.ADD) + tail;
    }
}
