package io.inferlab.harness.adaptive;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.inferlab.api.BackendUnavailableException;
import io.inferlab.api.CancellationToken;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.StopReason;
import io.inferlab.api.TokenListener;

/**
 * Serves generation requests from a fallback chain. {@link #start()} opens the first backend that
 * loads; a request runs on the first backend that is not demoted, and when that backend is
 * unavailable, fails to load (out of memory included), throws or exceeds the attempt timeout, the
 * runtime closes it, records the fallback and retries the whole request on the next one, so the
 * caller gets one complete result. The listener sees each token index once: tokens a failed
 * attempt already streamed are not repeated by the retry (with greedy or seeded sampling the
 * backends produce the same prefix, which is what the project's cross-backend checks assert).
 * <p>
 * Thread safe: a backend instance serves one request at a time ({@link InferenceBackend} is not
 * thread safe), requests for different backends run in parallel.
 */
public final class AdaptiveInference implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdaptiveInference.class);

    private enum State { NEW, RUNNING, SHUT_DOWN }

    private static final long CANCEL_POLL_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private final List<Slot> chain;
    private final BackendOpener opener;
    private final AdaptiveOptions options;
    private final LongSupplier nanoTime;
    private final AtomicLong requests = new AtomicLong();
    private final List<FallbackEvent> fallbacks = new ArrayList<>();
    private State state = State.NEW;
    private ExecutorService executor;

    public AdaptiveInference(List<String> chain, BackendOpener opener, AdaptiveOptions options) {
        this(chain, opener, options, System::nanoTime);
    }

    /** With a clock for the cool-down, so tests need not wait it out. */
    AdaptiveInference(List<String> chain, BackendOpener opener, AdaptiveOptions options, LongSupplier nanoTime) {
        if (chain.isEmpty()) {
            throw new BackendUnavailableException("the fallback chain is empty: no backend can run this model here");
        }
        this.chain = chain.stream().map(Slot::new).toList();
        this.opener = opener;
        this.options = options;
        this.nanoTime = nanoTime;
    }

    /** Starts the runtime and opens the first backend that loads (failures are recorded as fallbacks). Idempotent. */
    public AdaptiveInference start() {
        synchronized (this) {
            if (state == State.SHUT_DOWN) {
                throw new IllegalStateException("this AdaptiveInference was shut down; create a new one");
            }
            if (state == State.RUNNING) {
                return this;
            }
            executor = Executors.newVirtualThreadPerTaskExecutor();
            state = State.RUNNING;
        }
        long request = requests.incrementAndGet();
        for (Slot s : chain) {
            long t0 = nanoTime.getAsLong();
            try {
                s.instance();
                return this;
            } catch (RuntimeException | OutOfMemoryError e) {
                failed(request, s, null, openFailure(e), e, t0);
            }
        }
        return this; // nothing loads now; requests will retry and report every failure
    }

    /** Closes every open backend and stops accepting requests. Idempotent. */
    public void shutdown() {
        synchronized (this) {
            if (state == State.SHUT_DOWN) {
                return;
            }
            state = State.SHUT_DOWN;
            if (executor != null) {
                executor.shutdown();
            }
        }
        chain.forEach(Slot::discard);
    }

    @Override
    public void close() {
        shutdown();
    }

    /** The chain's backend ids, in order. */
    public List<String> chain() {
        return chain.stream().map(s -> s.id).toList();
    }

    /** Every fallback so far, oldest first. */
    public List<FallbackEvent> fallbacks() {
        synchronized (fallbacks) {
            return List.copyOf(fallbacks);
        }
    }

    /** Backends demoted right now, with the nanoTime their cool-down ends. */
    public Map<String, Long> demoted() {
        long now = nanoTime.getAsLong();
        Map<String, Long> out = new LinkedHashMap<>();
        chain.stream().filter(s -> s.isDemoted(now)).forEach(s -> out.put(s.id, s.demotedUntil));
        return out;
    }

    /** Generates on the chain, falling back as needed. Cancel through the request's token. */
    public AdaptiveResult generate(GenerationRequest request, TokenListener listener) {
        ExecutorService ex = running();
        long id = requests.incrementAndGet();
        CancellationToken caller = request.cancellation();
        List<FallbackEvent> mine = new ArrayList<>();
        Delivery delivery = new Delivery(listener);
        Throwable last = null;
        for (Slot s : order()) {
            if (caller != null && caller.isCancelled() && last != null) {
                break; // the caller gave up between attempts; report what happened so far
            }
            long t0 = nanoTime.getAsLong();
            Instance inst;
            try {
                inst = s.instance();
            } catch (RuntimeException | OutOfMemoryError e) {
                mine.add(failed(id, s, null, openFailure(e), e, t0));
                last = e;
                continue;
            }
            try {
                GenerationResult r = attempt(ex, s, inst, request, delivery);
                s.succeeded();
                return new AdaptiveResult(r, s.id, mine);
            } catch (AttemptTimeout e) {
                mine.add(failed(id, s, inst, FailureKind.TIMEOUT, e, t0));
                last = e;
            } catch (RuntimeException | OutOfMemoryError e) {
                mine.add(failed(id, s, inst, e instanceof OutOfMemoryError ? FailureKind.OUT_OF_MEMORY : FailureKind.GENERATION_FAILED, e, t0));
                last = e;
            }
        }
        throw new AllBackendsFailedException(mine, last);
    }

    /**
     * {@link #generate} on the runtime's threads. Cancelling the future cancels the generation
     * (through the request's token, or one the runtime adds).
     */
    public CompletableFuture<AdaptiveResult> generateAsync(GenerationRequest request, TokenListener listener) {
        ExecutorService ex = running();
        CancellationToken token = request.cancellation() != null ? request.cancellation() : new CancellationToken();
        GenerationRequest withToken = request.withCancellation(token);
        CompletableFuture<AdaptiveResult> f = CompletableFuture.supplyAsync(() -> generate(withToken, listener), ex);
        f.whenComplete((r, t) -> {
            if (t instanceof CancellationException) {
                token.cancel();
            }
        });
        return f;
    }

    private synchronized ExecutorService running() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("AdaptiveInference is " + (state == State.NEW ? "not started (call start())" : "shut down"));
        }
        return executor;
    }

    /** The chain without demoted backends, then the demoted ones as a last resort. */
    private List<Slot> order() {
        long now = nanoTime.getAsLong();
        List<Slot> ready = new ArrayList<>();
        List<Slot> demoted = new ArrayList<>();
        for (Slot s : chain) {
            (s.isDemoted(now) ? demoted : ready).add(s);
        }
        ready.addAll(demoted);
        return ready;
    }

    /**
     * One attempt on one backend instance. Runs on its own thread so a backend that ignores
     * cancellation cannot hold the caller past the attempt timeout; the timeout starts once the
     * instance is ours, so waiting behind other requests does not count.
     */
    private GenerationResult attempt(ExecutorService ex, Slot slot, Instance inst, GenerationRequest request, Delivery delivery) {
        CancellationToken attemptToken = new CancellationToken();
        CancellationToken caller = request.cancellation();
        GenerationRequest req = request.withCancellation(attemptToken);
        CompletableFuture<Void> owned = new CompletableFuture<>();
        TokenListener forward = delivery.attempt(caller, attemptToken);
        Future<GenerationResult> run = ex.submit(() -> {
            inst.lock.lock();
            try {
                owned.complete(null);
                if (inst.discarded) {
                    throw new StaleInstance();
                }
                return inst.backend.generate(req, forward);
            } finally {
                inst.lock.unlock();
                if (inst.discarded) {
                    inst.closeQuietly(); // discarded while we ran: the last user closes it
                }
            }
        });
        try {
            owned.join();
            GenerationResult r = await(run, caller, attemptToken);
            if (r.stopReason() == StopReason.CANCELLED && (caller == null || !caller.isCancelled())) {
                throw new AttemptTimeout("cancelled without the caller asking"); // only our timeout cancels
            }
            return r;
        } catch (TimeoutException e) {
            attemptToken.cancel();
            run.cancel(true);
            throw new AttemptTimeout("no result within " + options.attemptTimeout().toMillis() + " ms on backend '" + slot.id + "'");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StaleInstance) {
                return attempt(ex, slot, slot.instance(), request, delivery);
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof OutOfMemoryError oom) {
                throw oom;
            }
            throw new GenerationError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attemptToken.cancel();
            throw new CancellationException("interrupted while waiting for backend '" + slot.id + "'");
        }
    }

    /**
     * Waits for the attempt, passing the caller's cancellation on to the attempt's token (the
     * backend watches only that one) every few milliseconds, up to the attempt timeout.
     */
    private GenerationResult await(Future<GenerationResult> run, CancellationToken caller, CancellationToken attemptToken)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = options.attemptTimeout() == null ? Long.MAX_VALUE : System.nanoTime() + options.attemptTimeout().toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException();
            }
            try {
                return run.get(Math.min(left, CANCEL_POLL_NS), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (caller != null && caller.isCancelled()) {
                    attemptToken.cancel();
                }
            }
        }
    }

    private FallbackEvent failed(long request, Slot s, Instance failedInstance, FailureKind kind, Throwable e, long t0) {
        if (failedInstance != null) {
            s.discard(failedInstance);
        }
        long now = nanoTime.getAsLong();
        boolean demoted = s.failed(now, options);
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        FallbackEvent ev = new FallbackEvent(request, s.id, kind, message, now - t0, Instant.now(), demoted);
        LOG.warn("backend '{}' failed ({}): {}; falling back{}", s.id, kind, message, demoted ? " and demoting it" : "");
        synchronized (fallbacks) {
            fallbacks.add(ev);
        }
        return ev;
    }

    private static FailureKind openFailure(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return FailureKind.OUT_OF_MEMORY;
        }
        return e instanceof BackendUnavailableException ? FailureKind.UNAVAILABLE : FailureKind.LOAD_FAILED;
    }

    /** What the caller's listener has seen, so a retry does not repeat a token index. */
    private static final class Delivery {
        private final TokenListener listener;
        private int delivered;

        Delivery(TokenListener listener) {
            this.listener = listener == null ? TokenListener.NONE : listener;
        }

        TokenListener attempt(CancellationToken caller, CancellationToken attemptToken) {
            int[] index = {0};
            return (token, piece) -> {
                if (caller != null && caller.isCancelled()) {
                    attemptToken.cancel(); // the backend watches only its attempt's token
                }
                synchronized (this) {
                    if (index[0]++ >= delivered) {
                        delivered++;
                        listener.onToken(token, piece);
                    }
                }
            };
        }
    }

    /** One chain position: its current instance and its failure record. */
    private final class Slot {
        final String id;
        private Instance current;
        private int consecutiveFailures;
        private volatile long demotedUntil = Long.MIN_VALUE;

        Slot(String id) {
            this.id = id;
        }

        synchronized Instance instance() {
            if (current == null) {
                current = new Instance(opener.open(id));
            }
            return current;
        }

        void discard() {
            Instance old;
            synchronized (this) {
                old = current;
                current = null;
            }
            if (old != null) {
                old.discard();
            }
        }

        /** Drops {@code failed}; a newer instance another request opened meanwhile stays. */
        void discard(Instance failed) {
            synchronized (this) {
                if (current == failed) {
                    current = null;
                }
            }
            failed.discard();
        }

        synchronized boolean failed(long now, AdaptiveOptions o) {
            if (++consecutiveFailures >= o.demoteAfterFailures()) {
                consecutiveFailures = 0;
                demotedUntil = now + o.cooldown().toNanos();
                return true;
            }
            return false;
        }

        synchronized void succeeded() {
            consecutiveFailures = 0;
        }

        boolean isDemoted(long now) {
            return now < demotedUntil;
        }
    }

    /** An opened backend; closed by whoever holds it last once it is discarded. */
    private static final class Instance {
        final InferenceBackend backend;
        final ReentrantLock lock = new ReentrantLock();
        volatile boolean discarded;
        private boolean closed;

        Instance(InferenceBackend backend) {
            this.backend = backend;
        }

        void discard() {
            discarded = true;
            if (lock.tryLock()) { // idle: close now; busy: the running attempt closes it when it ends
                try {
                    closeQuietly();
                } finally {
                    lock.unlock();
                }
            }
        }

        synchronized void closeQuietly() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                backend.close();
            } catch (RuntimeException e) {
                LOG.info("closing backend '{}' after a failure: {}", backend.id(), e.getMessage());
            }
        }
    }

    private static final class AttemptTimeout extends RuntimeException {
        AttemptTimeout(String message) {
            super(message, null, false, false);
        }
    }

    private static final class StaleInstance extends RuntimeException {
        StaleInstance() {
            super("instance was replaced", null, false, false);
        }
    }

    private static final class GenerationError extends RuntimeException {
        GenerationError(Throwable cause) {
            super(cause.toString(), cause);
        }
    }
}
