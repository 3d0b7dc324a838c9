package io.inferlab.cpu;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A small persistent pool that runs one range task split across a fixed number of threads: the
 * calling thread plus {@code threads - 1} daemon workers. A 1B model makes about 160 matmul calls
 * per decoded token, so dispatch must take microseconds, not the tens of microseconds of waking a
 * parked thread: idle workers spin (with {@link Thread#onSpinWait}) for {@link #SPIN_NANOS} and
 * only then park, so they are hot during decode and cost nothing when the model is idle.
 *
 * <p>{@link #run} splits {@code [0, n)} into contiguous chunks, multiples of a granule, one per
 * thread; the caller does the first. It returns when every chunk is done; an exception thrown in
 * any chunk is rethrown to the caller (the first one, others suppressed). One {@code run} at a
 * time: the pool is meant to be owned by one inference thread.
 *
 * <p>Hand-off: the caller writes the task, then each worker's chunk bounds and finally that
 * worker's volatile sequence number; the worker reads the sequence first, so it sees the task. A
 * worker going to sleep sets its volatile {@code parked} flag and re-checks the sequence; the
 * caller bumps the sequence and then checks the flag. With both sides volatile, at least one of
 * them sees the other's write, so no wake-up is lost. Completion uses the same pattern with a
 * shared countdown and the caller's {@code waiter} field.
 */
public final class ParallelRunner implements AutoCloseable {
    /** How long an idle thread spins before parking: longer than the gap between two matmuls of a
     *  decode step, short enough that an idle model does not hold a core. */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    /** A task over a range of indices; {@code worker} is 0 for the caller, else 1..threads-1 (for per-thread buffers). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int worker, int from, int to);
    }

    private final int threads;
    private final Worker[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Held for the whole of a {@link #run}; taken for good by {@link #close}. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean closed;
    /** The caller while it is parked waiting for workers, else null. */
    private volatile Thread waiter;
    /** The current task; published to each worker by its sequence number. */
    private RangeTask task;

    /** A pool of {@code threads} threads in all (the caller counts as one), workers named {@code name-1, name-2, ...}. */
    public ParallelRunner(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
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
     * {@code granule} (except the end, {@code n}), at most one chunk per thread, and returns when
     * all are done.
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
            int units = (n + granule - 1) / granule;
            int unitsPerChunk = (units + threads - 1) / threads;
            int chunk = unitsPerChunk * granule;
            int chunks = (units + unitsPerChunk - 1) / unitsPerChunk;
            if (chunks == 1) {
                task.run(0, 0, n);
                return;
            }
            this.task = task;
            pending.set(chunks - 1);
            for (int c = 1; c < chunks; c++) {
                workers[c - 1].assign(c * chunk, Math.min(n, (c + 1) * chunk));
            }
            Throwable own = null;
            try {
                task.run(0, 0, chunk);
            } catch (Throwable t) {
                own = t;
            }
            awaitWorkers();
            this.task = null;
            Throwable theirs = failure.getAndSet(null);
            if (own != null) {
                if (theirs != null) {
                    own.addSuppressed(theirs);
                }
                throw rethrow(own);
            }
            if (theirs != null) {
                throw rethrow(theirs);
            }
        } finally {
            busy.set(false);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("parallel task failed", t);
    }

    private void awaitWorkers() {
        long start = System.nanoTime();
        int spins = 0;
        while (pending.get() != 0) {
            if ((++spins & 63) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            waiter = Thread.currentThread();
            try {
                while (pending.get() != 0) {
                    LockSupport.park(this);
                }
            } finally {
                waiter = null;
            }
        }
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
        private int from;
        private int to;
        /** Bumped by the caller for each chunk; only the caller writes it. */
        private volatile long sequence;
        private volatile boolean parked;

        Worker(int index, String name) {
            this.index = index;
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        /** Called by the caller thread only. */
        void assign(int from, int to) {
            this.from = from;
            this.to = to;
            sequence = sequence + 1;
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
                    return; // closed, nothing assigned
                }
                seen = s;
                try {
                    task.run(index, from, to);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (pending.decrementAndGet() == 0) {
                        Thread w = waiter;
                        if (w != null) {
                            LockSupport.unpark(w);
                        }
                    }
                }
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
