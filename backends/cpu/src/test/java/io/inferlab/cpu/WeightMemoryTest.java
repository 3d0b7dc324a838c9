package io.inferlab.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeightMemoryTest {

    /** Byte for byte, for sizes below, at and across the copy chunks, whichever thread copied which chunk. */
    @ParameterizedTest
    @ValueSource(longs = {1, 4095, 1 << 20, (1 << 20) + 1, (5L << 20) + 333})
    void copiesAreByteForByteAndFreedWithTheMemory(long bytes) {
        try (Arena arena = Arena.ofShared(); ParallelRunner runner = new ParallelRunner(3, "test-weight-memory")) {
            MemorySegment source = arena.allocate(bytes);
            SplittableRandom random = new SplittableRandom(bytes);
            for (long i = 0; i < bytes; i++) {
                source.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt());
            }
            MemorySegment copy;
            try (WeightMemory memory = new WeightMemory(runner)) {
                copy = memory.copyOf(source);
                assertEquals(bytes, copy.byteSize());
                assertEquals(-1, copy.mismatch(source));
                assertTrue(copy.isNative());
                assertEquals(0, copy.address() % 64, "cache-line aligned, as the file's tensors are");
            }
            assertThrows(IllegalStateException.class, () -> copy.get(ValueLayout.JAVA_BYTE, 0), "freed with the memory");
        }
    }

    /** A source only the calling thread may read is copied by that thread alone. */
    @ParameterizedTest
    @ValueSource(longs = {3 << 20})
    void confinedSourcesAreCopiedByTheCaller(long bytes) {
        try (Arena confined = Arena.ofConfined(); ParallelRunner runner = new ParallelRunner(2, "test-weight-memory");
             WeightMemory memory = new WeightMemory(runner)) {
            MemorySegment source = confined.allocate(bytes);
            source.fill((byte) 7);
            assertEquals(-1, memory.copyOf(source).mismatch(source));
        }
    }
}
