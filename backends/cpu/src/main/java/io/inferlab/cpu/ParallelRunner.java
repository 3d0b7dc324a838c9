package io.inferlab.cpu;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A small persistent pool that runs one range task split across a fixed number of threads: the
 * calling thread plus {@code threads - 1} daemon workers. A 1B model makes about 160 matmul calls
 * per decoded token (a gpt-oss model, with its small router and expert products, more), so
 * dispatch must take microseconds, not the tens of microseconds of waking a parked thread: idle
 * workers spin (with {@link Thread#onSpinWait}) for {@link #SPIN_NANOS} and only then park, so
 * they are hot during decode and cost nothing when the model is idle.
 *
 * <p>{@link #run} splits {@code [0, n)} into granules and hands them out by guided
 * self-scheduling: every thread, the caller included, claims contiguous chunks until none is
 * left, each claim taking {@code 1 / (SHARES_PER_THREAD * threads)} of what remains (at least one
 * granule). Early chunks are large, so a matmul costs few claims and each thread reads long
 * sequential runs of weights; the last are one granule, so the thread that finishes first waits
 * at most one granule for the other. (Four equal chunks per thread could leave a thread idle for
 * half a chunk at the end of every matmul; sixteen equal chunks made decode slower, 28-29 against
 * 31-36 tokens/s for a 1b Q4_0 model on 2 threads.)
 * Claiming rather than assigning matters on a shared machine too: a worker the OS has not
 * scheduled yet claims nothing, and the others do its share instead of waiting for it (a fixed
 * split made 2 threads several times slower than 1 on a loaded 2-core host). Which thread runs
 * a chunk never changes its result: a chunk's output depends only on its range. An exception
 * thrown by a chunk reaches the caller: the lowest chunk's, with the others suppressed,
 * whichever thread ran them. One {@code run} at a time: the pool is meant to be owned by one
 * inference thread.
 *
 * <p>Claims: one {@link AtomicLong} holds the granule count (high half) and the next granule to
 * claim (low half), published by the caller after the task and its bounds; a chunk's size
 * depends only on that word. A thread claims by compare-and-set and only then reads the task,
 * so it reads the run it claimed from: a run cannot end, and its fields cannot change, while one
 * of its chunks is claimed and unfinished. A worker that wakes late finds the count exhausted, or
 * claims a chunk of the run that is current then, which is just as right.
 *
 * <p>Waking: the caller bumps a volatile sequence number that workers watch; a worker going to
 * sleep sets its volatile {@code parked} flag and re-checks the sequence, and the caller checks
 * the flag after bumping, so no wake-up is lost. Completion uses the same pattern with the done
 * count and the caller's {@code waiter} field.
 */
public final class ParallelRunner implements AutoCloseable {
    /** How long an idle thread spins before parking: longer than the gap between two matmuls of a
     *  decode step, short enough that an idle model does not hold a core. */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /** A claim takes {@code 1 / (SHARES_PER_THREAD * threads)} of the granules left: large enough
     *  that claims stay few, small enough that the others can absorb a late thread's share. */
    static final int SHARES_PER_THREAD = 2;

    /** A task over a range of indices; {@code worker} is 0 for the caller, else 1..threads-1 (for per-thread buffers). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int worker, int from, int to);
    }

    private final int threads;
    /** Divides the granules left into the size of the next claim. */
    private final int shares;
    private final Worker[] workers;
    /** (granule count << 32) | next granule to claim. */
    private final AtomicLong claims = new AtomicLong();
    /** Granules finished in the current run. */
    private final AtomicInteger done = new AtomicInteger();
    /** Chunks that threw in the current run; touched only when one does. */
    private final List<Failure> failures = new ArrayList<>();
    /** Bumped once per run to wake the workers; only the caller writes it. */
    private volatile long sequence;
    /** Held for the whole of a {@link #run}; taken for good by {@link #close}. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean closed;
    /** The caller while it is parked waiting for workers, else null. */
    private volatile Thread waiter;
    // The current run, written by the caller before it publishes the claims.
    private RangeTask task;
    private int n;
    private int granule;

    private record Failure(int from, Throwable error) {
    }

    /** A pool of {@code threads} threads in all (the caller counts as one), workers named {@code name-1, name-2, ...}. */
    public ParallelRunner(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.shares = threads * SHARES_PER_THREAD;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1, name + "-" + (i + 1));
        }
        for (Worker w : workers) {
            w.thread.start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Whether every worker may read {@code segment}: false for memory confined to one thread
     * (a confined arena), which only that thread can touch.
     */
    public boolean workersCanAccess(MemorySegment segment) {
        for (Worker w : workers) {
            if (!segment.isAccessibleBy(w.thread)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code task} over {@code [0, n)} in contiguous chunks whose boundaries are multiples of
     * {@code granule} (except the end, {@code n}), largest first, and returns when all are done.
     *
     * @throws IllegalStateException when closed, or when another {@code run} is in progress
     */
    public void run(int n, int granule, RangeTask task) {
        if (granule < 1) {
            throw new IllegalArgumentException("granule must be >= 1, got " + granule);
        }
        if (!busy.compareAndSet(false, true)) {
            throw new IllegalStateException(closed ? "parallel runner is closed" : "parallel runner is already running a task");
        }
        try {
            if (n <= 0) {
                return;
            }
            int units = (int) (((long) n + granule - 1) / granule);
            if (units == 1 || threads == 1) {
                task.run(0, 0, n);
                return;
            }
            this.task = task;
            this.n = n;
            this.granule = granule;
            done.set(0);
            claims.set((long) units << 32);
            sequence = sequence + 1;
            for (Worker w : workers) {
                w.wake();
            }
            claimAndRun(0);
            awaitUnits(units);
            this.task = null;
            rethrowFailures();
        } finally {
            busy.set(false);
        }
    }

    /** Claims and runs chunks of the current run until none is left. */
    private void claimAndRun(int worker) {
        while (true) {
            long c = claims.get();
            int units = (int) (c >>> 32);
            int next = (int) c;
            if (next >= units) {
                return;
            }
            int size = Math.max(1, (units - next) / shares);
            if (!claims.compareAndSet(c, c + size)) {
                continue;
            }
            int from = next * granule;
            try {
                task.run(worker, from, (int) Math.min(n, (long) (next + size) * granule));
            } catch (Throwable t) {
                synchronized (failures) {
                    failures.add(new Failure(from, t));
                }
            } finally {
                if (done.addAndGet(size) == units) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }
    }

    private void awaitUnits(int units) {
        long start = System.nanoTime();
        int spins = 0;
        while (done.get() != units) {
            if ((++spins & 63) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            waiter = Thread.currentThread();
            try {
                while (done.get() != units) {
                    LockSupport.park(this);
                }
            } finally {
                waiter = null;
            }
        }
    }

    /** The lowest chunk's failure, the others suppressed in it; clears them for the next run. */
    private void rethrowFailures() {
        List<Failure> failed;
        synchronized (failures) {
            if (failures.isEmpty()) {
                return;
            }
            failed = new ArrayList<>(failures);
            failures.clear();
        }
        failed.sort(Comparator.comparingInt(Failure::from));
        Throwable first = failed.getFirst().error();
        for (Failure f : failed.subList(1, failed.size())) {
            if (f.error() != first) {
                first.addSuppressed(f.error());
            }
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("parallel task failed", first);
    }

    /** Stops the workers (waiting for a running task to finish first); idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        while (!busy.compareAndSet(false, true)) {
            if (closed) {
                return;
            }
            Thread.onSpinWait();
        }
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
        boolean interrupted = false;
        for (Worker w : workers) {
            while (w.thread.isAlive()) {
                try {
                    w.thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Worker implements Runnable {
        private final int index;
        private final Thread thread;
        private volatile boolean parked;

        Worker(int index, String name) {
            this.index = index;
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        /** Called by the caller thread after bumping the sequence. */
        void wake() {
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long s = awaitWork(seen);
                if (s == seen) {
                    return; // closed, nothing new
                }
                seen = s;
                claimAndRun(index);
            }
        }

        /** The new sequence number, or {@code seen} once the pool is closed. */
        private long awaitWork(long seen) {
            long start = System.nanoTime();
            int spins = 0;
            while (true) {
                long s = sequence;
                if (s != seen || closed) {
                    return s;
                }
                if ((++spins & 63) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                s = sequence;
                if (s == seen && !closed) {
                    LockSupport.park(this);
                }
                parked = false;
                start = System.nanoTime();
            }
        }
    }
}
