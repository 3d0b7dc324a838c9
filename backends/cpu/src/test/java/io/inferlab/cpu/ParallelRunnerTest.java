package io.inferlab.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Work splitting, hand-off, failure propagation and shutdown of {@link ParallelRunner}; nothing here depends on timing. */
@Timeout(60)
class ParallelRunnerTest {

    private record Chunk(int worker, int from, int to, Thread thread) {
    }

    private static List<Chunk> chunks(ParallelRunner runner, int n, int granule) {
        List<Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
        runner.run(n, granule, (worker, from, to) -> chunks.add(new Chunk(worker, from, to, Thread.currentThread())));
        List<Chunk> sorted = new ArrayList<>(chunks);
        sorted.sort((a, b) -> Integer.compare(a.from, b.from));
        return sorted;
    }

    @Test
    void splitsIntoContiguousGranuleAlignedChunksLargestFirst() {
        try (ParallelRunner runner = new ParallelRunner(3, "test-split")) {
            for (int n : new int[] {1, 15, 16, 17, 33, 48, 49, 67, 257, 1000, 5000}) {
                List<Chunk> chunks = chunks(runner, n, 16);
                // Guided: each claim takes a sixth (3 threads x 2 shares) of the granules left, at least one.
                int units = (n + 15) / 16;
                List<Integer> expected = new ArrayList<>();
                for (int left = units; left > 0; ) {
                    int size = Math.max(1, left / (3 * ParallelRunner.SHARES_PER_THREAD));
                    expected.add(size);
                    left -= size;
                }
                assertEquals(expected, chunks.stream().map(c -> (Math.min(c.to, units * 16) - c.from + 15) / 16).toList(),
                        "granules per chunk, in order, n = " + n);
                int next = 0;
                for (Chunk c : chunks) {
                    assertEquals(next, c.from, "contiguous, n = " + n);
                    assertTrue(c.to > c.from, "non-empty, n = " + n);
                    assertTrue(c.to == n || c.to % 16 == 0, "granule-aligned, n = " + n);
                    next = c.to;
                    boolean caller = c.thread == Thread.currentThread();
                    assertEquals(caller, c.worker == 0, "worker 0 is the caller");
                    if (!caller) {
                        assertTrue(c.thread.getName().startsWith("test-split-"), c.thread.getName());
                        assertTrue(c.thread.isDaemon());
                        assertEquals("test-split-" + c.worker, c.thread.getName(), "a worker's index names its thread");
                    }
                }
                assertEquals(n, next, "covers [0, n), n = " + n);
            }
        }
    }

    /**
     * A worker that is slow to start (here: stalls on the first chunk it claims, as a thread the
     * OS has not scheduled would) costs at most its claimed chunk: the caller claims the rest.
     */
    @Test
    void theCallerTakesOverTheShareOfASlowWorker() {
        try (ParallelRunner runner = new ParallelRunner(2, "test-slow")) {
            CountDownLatch release = new CountDownLatch(1);
            List<Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
            Thread releaser = Thread.ofPlatform().start(() -> {
                try {
                    while (chunks.stream().mapToInt(c -> c.to - c.from).sum() < 8) {
                        Thread.sleep(1);
                    }
                } catch (InterruptedException ignored) {
                    // released below anyway
                } finally {
                    release.countDown();
                }
            });
            runner.run(8, 1, (worker, from, to) -> {
                chunks.add(new Chunk(worker, from, to, Thread.currentThread()));
                if (worker != 0) {
                    try {
                        release.await(); // the worker holds its chunk until the caller has done the others
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertEquals(8, chunks.stream().mapToInt(c -> c.to - c.from).sum());
            assertTrue(chunks.stream().filter(c -> c.worker != 0).count() <= 1, "the caller ran the other chunks: " + chunks);
            releaser.interrupt();
        }
    }

    @Test
    void fewerItemsThanThreadsAndNothingAtAll() {
        try (ParallelRunner runner = new ParallelRunner(4, "test-small")) {
            List<Chunk> one = chunks(runner, 3, 1);
            assertEquals(3, one.size());
            assertEquals(List.of(0, 1, 2), one.stream().map(Chunk::from).toList());
            assertEquals(1, chunks(runner, 1, 16).size());
            assertEquals(0, chunks(runner, 0, 16).size());
        }
    }

    @Test
    void singleThreadRunsInline() {
        try (ParallelRunner runner = new ParallelRunner(1, "test-inline")) {
            List<Chunk> chunks = chunks(runner, 100, 4);
            assertEquals(1, chunks.size());
            assertEquals(new Chunk(0, 0, 100, Thread.currentThread()), chunks.get(0));
        }
    }

    /** Many back-to-back runs, some after a pause long enough for the workers to park, all complete and see their task. */
    @Test
    void everyRunCompletesWithEveryIndexVisitedOnce() throws InterruptedException {
        try (ParallelRunner runner = new ParallelRunner(3, "test-many")) {
            AtomicIntegerArray hits = new AtomicIntegerArray(200);
            for (int round = 0; round < 3000; round++) {
                int n = 1 + round % 200;
                runner.run(n, 4, (worker, from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                if (round % 500 == 0) {
                    Thread.sleep(5); // let the workers go from spinning to parked
                }
            }
            int[] expected = new int[200];
            for (int round = 0; round < 3000; round++) {
                for (int i = 0; i < 1 + round % 200; i++) {
                    expected[i]++;
                }
            }
            int[] actual = new int[200];
            for (int i = 0; i < 200; i++) {
                actual[i] = hits.get(i);
            }
            assertArrayEquals(expected, actual);
        }
    }

    @Test
    void aChunkExceptionReachesTheCallerAndThePoolStaysUsable() {
        try (ParallelRunner runner = new ParallelRunner(2, "test-fail")) {
            IllegalStateException boom = new IllegalStateException("boom in a chunk");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> runner.run(64, 16, (worker, from, to) -> {
                if (from == 32) {
                    throw boom;
                }
            }));
            assertSame(boom, thrown);
            assertEquals(4, chunks(runner, 64, 16).size(), "still works after a failure"); // 4 granules: 1 each
        }
    }

    @Test
    void errorsPropagateToo() {
        try (ParallelRunner runner = new ParallelRunner(2, "test-error")) {
            assertThrows(AssertionError.class, () -> runner.run(64, 16, (worker, from, to) -> {
                if (from == 48) {
                    throw new AssertionError("worker assertion");
                }
            }));
        }
    }

    @Test
    void theLowestChunksExceptionWinsAndKeepsTheOthersAsSuppressed() {
        try (ParallelRunner runner = new ParallelRunner(2, "test-both")) {
            AtomicInteger finished = new AtomicInteger();
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> runner.run(64, 16, (worker, from, to) -> {
                finished.incrementAndGet();
                throw new RuntimeException("from " + from);
            }));
            assertEquals("from 0", thrown.getMessage());
            assertEquals(List.of("from 16", "from 32", "from 48"),
                    Arrays.stream(thrown.getSuppressed()).map(Throwable::getMessage).toList());
            assertEquals(4, finished.get(), "every chunk ran before the caller threw");
        }
    }

    @Test
    void nestedRunIsRejected() {
        try (ParallelRunner runner = new ParallelRunner(2, "test-nested")) {
            assertThrows(IllegalStateException.class, () -> runner.run(4, 1, (worker, from, to) -> runner.run(4, 1, (w, f, t) -> {
            })));
            assertEquals(2, chunks(runner, 32, 16).size());
        }
    }

    @Test
    void closeIsIdempotentStopsWorkersAndRejectsLaterRuns() throws InterruptedException {
        ParallelRunner runner = new ParallelRunner(3, "test-close");
        List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("test-close-")).toList();
        assertEquals(2, workers.size());
        assertEquals(3, chunks(runner, 48, 16).size());
        runner.close();
        runner.close();
        for (Thread t : workers) {
            t.join();
            assertFalse(t.isAlive());
        }
        assertThrows(IllegalStateException.class, () -> runner.run(1, 1, (worker, from, to) -> {
        }));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new ParallelRunner(0, "x"));
        try (ParallelRunner runner = new ParallelRunner(1, "test-args")) {
            assertThrows(IllegalArgumentException.class, () -> runner.run(10, 0, (worker, from, to) -> {
            }));
        }
    }
}
