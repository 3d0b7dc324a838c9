package io.inferlab.llamacpp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendFailedException;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendUnavailableException;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.GenerationTimings;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelFormatException;
import io.inferlab.api.ModelInfo;
import io.inferlab.api.TokenListener;
import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.runtime.WeightResidency;
import io.inferlab.llamacpp.ChildProcess.ChildFailure;
import io.inferlab.llamacpp.protocol.Message;
import io.inferlab.llamacpp.protocol.Message.Done;
import io.inferlab.llamacpp.protocol.Message.Generate;
import io.inferlab.llamacpp.protocol.Message.Loaded;
import io.inferlab.llamacpp.protocol.Message.LogitRows;
import io.inferlab.llamacpp.protocol.Message.Token;

/**
 * A model loaded in llama.cpp, which runs in a child JVM (see {@link ChildProcess}). Requests are
 * relayed over the child's socket; timings come from the child, taken around llama.cpp's calls.
 * If the child dies or stops answering, the request fails with {@link BackendFailedException}
 * naming its exit code, and the backend stays failed. Not thread-safe (one request at a time).
 */
public final class LlamaCppBackend implements InferenceBackend {
    /** Starting the child JVM and loading the native library (a few seconds on a busy 2-core host). */
    static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);
    /** Loading a model: a 1B model is mapped in seconds, but repacking for the CPU can take longer. */
    static final Duration LOAD_LIMIT = Duration.ofMinutes(10);
    /** Tokenization and detokenization. */
    static final Duration SHORT_LIMIT = Duration.ofSeconds(60);
    /** Logits of a token sequence, and the longest a generation may go without a token. */
    static final Duration LONG_LIMIT = Duration.ofMinutes(10);
    /** After a request's timeout the child stops by itself; past this grace it is killed. */
    static final Duration TIMEOUT_GRACE = Duration.ofSeconds(30);
    private static final long POLL_MS = 100;

    private final ChildProcess child;
    private final AccelerationType acceleration;
    private final Path path;
    private ModelInfo info;
    private String computeMode;
    private int gpuLayers;
    private volatile BackendFailedException failure;
    private boolean closed;

    private LlamaCppBackend(ChildProcess child, AccelerationType acceleration, Path path) {
        this.child = child;
        this.acceleration = acceleration;
        this.path = path;
    }

    /**
     * Starts a child JVM and loads {@code path} in llama.cpp.
     *
     * @throws ModelFormatException        when the file is missing or llama.cpp cannot load it (with llama.cpp's reason)
     * @throws UnsupportedModelException   when llama.cpp does not support its architecture
     * @throws BackendUnavailableException when the child or the native library cannot start
     */
    static LlamaCppBackend open(Path path, BackendOptions options, LlamaCppOptions llamaOptions,
                                AccelerationType acceleration) {
        if (!Files.isRegularFile(path)) {
            throw new ModelFormatException(path, "file not found");
        }
        ChildProcess child;
        try {
            child = ChildProcess.start(STARTUP_LIMIT);
        } catch (ChildFailure e) {
            throw new BackendUnavailableException("llama.cpp: " + e.getMessage());
        }
        LlamaCppBackend backend = new LlamaCppBackend(child, acceleration, path);
        try {
            backend.load(options, llamaOptions);
            return backend;
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
    }

    private void load(BackendOptions options, LlamaCppOptions llamaOptions) {
        WeightResidency residency = WeightResidency.of(options, path);
        Message reply;
        try {
            reply = child.request(new Message.Load(path.toAbsolutePath().toString(), options.effectiveThreads(),
                    options.contextLength(), llamaOptions.gpuLayers(), !residency.inMemory()), LOAD_LIMIT, "loading " + path);
        } catch (ChildFailure e) {
            throw fail(e.getMessage());
        }
        if (reply instanceof Message.Error e) {
            boolean aboutTheFile = e.kind() == Message.ErrorKind.MODEL_FORMAT || e.kind() == Message.ErrorKind.UNSUPPORTED_MODEL;
            throw mapError(aboutTheFile ? withPrintedReasons(e) : e);
        }
        if (!(reply instanceof Loaded loaded)) {
            throw unexpected(reply, "loading");
        }
        gpuLayers = loaded.gpuLayers();
        GgufFacts facts = GgufFacts.read(path).orElse(null);
        String weightType = facts != null ? facts.dominantMatrixType() : ComputeModes.typeFromDescription(loaded.description());
        computeMode = ComputeModes.of(weightType, gpuLayers > 0, "Metal", loaded.buildNumber(), residency);
        info = new ModelInfo(path, loaded.architecture(), loaded.name(), loaded.parameterCount(),
                facts != null ? facts.tensorTypes() : Map.of(), facts != null ? facts.weightBytes() : loaded.sizeBytes(),
                facts != null ? facts.bytesPerToken() : loaded.sizeBytes(), loaded.trainContextLength(),
                loaded.vocabularySize());
    }

    @Override
    public String id() {
        return LlamaCppBackendProvider.ID;
    }

    @Override
    public AccelerationType acceleration() {
        return acceleration;
    }

    @Override
    public ModelInfo model() {
        return info;
    }

    @Override
    public String computeMode() {
        return computeMode;
    }

    /** Layers llama.cpp put on the GPU (0 on CPU builds). */
    public int gpuLayers() {
        return gpuLayers;
    }

    /** The child JVM's process id (to watch it, or, in tests, to kill it). */
    public long childPid() {
        return child.pid();
    }

    @Override
    public synchronized int[] encode(String text) {
        ensureUsable();
        return call(new Message.Tokenize(text, true), Message.Tokens.class, SHORT_LIMIT, "tokenizing").tokens();
    }

    @Override
    public synchronized String decode(int[] tokens) {
        ensureUsable();
        return call(new Message.Detokenize(tokens), Message.Text.class, SHORT_LIMIT, "detokenizing").text();
    }

    @Override
    public synchronized float[][] logits(int[] tokens) {
        ensureUsable();
        LogitRows rows = call(new Message.Logits(tokens), LogitRows.class, LONG_LIMIT, "computing logits");
        float[][] out = new float[rows.rows()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOfRange(rows.values(), i * rows.vocabulary(), (i + 1) * rows.vocabulary());
        }
        return out;
    }

    @Override
    public synchronized GenerationResult generate(GenerationRequest request, TokenListener listener) {
        ensureUsable();
        var s = request.sampling();
        boolean interruptible = request.timeout() != null || request.cancellation() != null;
        Generate g = new Generate(request.prompt(), request.promptTokens(), request.maxTokens(), s.temperature(), s.topK(),
                s.topP(), s.seed(), request.stopAtEos(), request.timeout() == null ? 0 : request.timeout().toNanos(),
                interruptible);
        return new Relay(request, listener).run(g);
    }

    /** The parent's side of one generation: relays tokens, forwards cancellation, bounds every wait. */
    private final class Relay {
        private final GenerationRequest request;
        private final TokenListener listener;
        private final long start = System.nanoTime();
        private int[] tokens = new int[16];
        private long[] times = new long[16];
        private int count;
        private final StringBuilder text = new StringBuilder();
        private boolean cancelSent;

        Relay(GenerationRequest request, TokenListener listener) {
            this.request = request;
            this.listener = listener;
        }

        GenerationResult run(Generate g) {
            String doing = "generating";
            try {
                child.send(g);
                long lastFrame = System.nanoTime();
                while (true) {
                    Message m = child.poll(POLL_MS, doing);
                    if (m != null) {
                        lastFrame = System.nanoTime();
                    }
                    switch (m) {
                        case null -> { }
                        case Token t -> accept(t);
                        case Done d -> {
                            return result(d);
                        }
                        case Message.Error e -> throw mapError(e);
                        default -> throw unexpected(m, doing);
                    }
                    watch(lastFrame);
                }
            } catch (ChildFailure e) {
                throw fail(e.getMessage());
            }
        }

        private void accept(Token t) throws ChildFailure {
            if (count == tokens.length) {
                tokens = Arrays.copyOf(tokens, count * 2);
                times = Arrays.copyOf(times, count * 2);
            }
            tokens[count] = t.id();
            times[count++] = t.timeNs();
            if (!t.visible()) {
                return;
            }
            text.append(t.piece());
            try {
                listener.onToken(t.id(), t.piece());
            } catch (RuntimeException | Error e) {
                // The caller gave up: stop the child's generation and wait for it, then report.
                stopAndDrain();
                throw e;
            }
        }

        /** Cancellation and the hard limits, checked between frames. */
        private void watch(long lastFrame) throws ChildFailure {
            long now = System.nanoTime();
            if (!cancelSent && request.cancellation() != null && request.cancellation().isCancelled()) {
                child.send(new Message.Cancel());
                cancelSent = true;
            }
            if (request.timeout() != null && now - start > request.timeout().plus(TIMEOUT_GRACE).toNanos()) {
                child.kill();
                throw new ChildFailure("llama.cpp did not stop within " + TIMEOUT_GRACE.toSeconds()
                        + " s after the request's timeout of " + request.timeout() + "; its process (pid " + child.pid()
                        + ") was killed");
            }
            if (now - lastFrame > LONG_LIMIT.toNanos()) {
                child.kill();
                throw new ChildFailure("llama.cpp produced nothing for " + LONG_LIMIT.toMinutes()
                        + " minutes while generating; its process (pid " + child.pid() + ") was killed");
            }
        }

        private void stopAndDrain() {
            try {
                child.send(new Message.Cancel());
                long deadline = System.nanoTime() + TIMEOUT_GRACE.toNanos();
                while (System.nanoTime() - deadline < 0) {
                    Message m = child.poll(POLL_MS, "cancelling");
                    if (m instanceof Done || m instanceof Message.Error) {
                        return;
                    }
                }
                child.kill();
                failure = new BackendFailedException("backend 'llamacpp' failed: llama.cpp did not stop after a cancel", null);
            } catch (ChildFailure e) {
                failure = new BackendFailedException("backend 'llamacpp' failed: " + e.getMessage(), null);
            }
        }

        private GenerationResult result(Done d) {
            text.append(d.tail());
            long[] itl = new long[Math.max(0, count - 1)];
            for (int i = 1; i < count; i++) {
                itl[i - 1] = times[i] - times[i - 1];
            }
            long ttft = count > 0 ? times[0] : 0;
            GenerationTimings timings = new GenerationTimings(d.promptTokens().length, d.prefillNs(), ttft, itl, d.e2eNs());
            return new GenerationResult(d.promptTokens(), Arrays.copyOf(tokens, count), text.toString(), d.stopReason(),
                    timings, computeMode);
        }
    }

    /**
     * {@code e} with the problem lines llama.cpp printed during the load prepended: GGML's GGUF
     * parser states the root cause (bad magic, tensor out of bounds) only on stderr.
     */
    private Message.Error withPrintedReasons(Message.Error e) {
        List<String> printed = child.loadOutput(Duration.ofSeconds(3)).stream().map(String::strip)
                .filter(l -> PROBLEM.matcher(l).find() && !e.message().contains(l)).distinct().toList();
        if (printed.isEmpty()) {
            return e;
        }
        return new Message.Error(e.kind(), String.join("; ", printed) + "; " + e.message());
    }

    /** Words with which llama.cpp and GGML state a problem. */
    private static final Pattern PROBLEM = Pattern.compile(
            "(?i)\\b(error|invalid|failed|fail|corrupt|unknown|unsupported|not supported|expected|cannot|out of bounds|"
                    + "not within|incomplete|truncated)\\b");

    /** Sends {@code m} and returns its reply of {@code type}; an error reply becomes our typed exception. */
    private <T extends Message> T call(Message m, Class<T> type, Duration limit, String doing) {
        Message reply;
        try {
            reply = child.request(m, limit, doing);
        } catch (ChildFailure e) {
            throw fail(e.getMessage());
        }
        if (reply instanceof Message.Error e) {
            throw mapError(e);
        }
        if (!type.isInstance(reply)) {
            throw unexpected(reply, doing);
        }
        return type.cast(reply);
    }

    private RuntimeException mapError(Message.Error e) {
        return switch (e.kind()) {
            case INVALID_ARGUMENT -> new IllegalArgumentException(e.message());
            case MODEL_FORMAT -> new ModelFormatException(path, "llama.cpp cannot load it: " + e.message());
            case UNSUPPORTED_MODEL -> new UnsupportedModelException(path + ": llama.cpp does not support it: " + e.message());
            case LIBRARY_UNAVAILABLE -> new BackendUnavailableException("llama.cpp's native library is unavailable: " + e.message());
            case ENGINE_FAILURE -> fail("llama.cpp failed: " + e.message());
        };
    }

    private RuntimeException unexpected(Message m, String doing) {
        child.kill();
        return fail("unexpected reply " + m.getClass().getSimpleName() + " from the llama.cpp child while " + doing);
    }

    private BackendFailedException fail(String why) {
        BackendFailedException e = new BackendFailedException("backend 'llamacpp' failed: " + why, null);
        failure = e;
        return e;
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("backend 'llamacpp' is closed");
        }
        BackendFailedException f = failure;
        if (f != null) {
            throw new BackendFailedException("backend 'llamacpp' failed earlier: " + f.getMessage(), f);
        }
    }

    /** Ends the child JVM (asks, then destroys, then kills; bounded) and frees everything it held. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            child.close();
        }
    }
}
