package io.inferlab.llamacpp.child;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import io.inferlab.api.StopReason;
import io.inferlab.llamacpp.protocol.Message.Done;
import io.inferlab.llamacpp.protocol.Message.ErrorKind;
import io.inferlab.llamacpp.protocol.Message.Generate;
import io.inferlab.llamacpp.protocol.Message.Load;
import io.inferlab.llamacpp.protocol.Message.Loaded;
import io.inferlab.llamacpp.protocol.Message.LogitRows;
import io.inferlab.llamacpp.protocol.Message.Token;

/**
 * A model and its context in llama.cpp, driven through {@link LlamaNative}: tokenization, the
 * prefill/decode loop with llama.cpp's samplers, and logits. All timings are taken here, around
 * llama.cpp's calls, so they are the engine's and not the protocol's. Confined to one thread.
 */
@SuppressWarnings("restricted") // calling into llama.cpp through FFM is this class's purpose
final class NativeModel implements AutoCloseable {
    /** KV cache length when the request leaves it to us (as the engine's backends do). */
    static final int DEFAULT_CONTEXT_CAP = 4096;
    /** n_gpu_layers meaning "every layer" (llama.cpp's own idiom: more than any model has). */
    static final int ALL_LAYERS = 999;

    /** A request failed in a way the parent reports with {@code kind}. */
    static final class Failure extends Exception {
        final ErrorKind kind;

        Failure(ErrorKind kind, String message) {
            super(message);
            this.kind = kind;
        }
    }

    private final LlamaNative api;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment model;
    private final MemorySegment ctx;
    private final MemorySegment vocab;
    private final int vocabSize;
    private final int contextLength;
    private final int batchSize;
    private final Loaded info;
    private final MemorySegment abortStub;
    /** Read by the abort callback; written before each interruptible call. */
    private volatile Interruption interruption = Interruption.NONE;

    private NativeModel(LlamaNative api, MemorySegment model, MemorySegment ctx, int contextLength, int trainContext,
                        int gpuLayers) throws Throwable {
        this.api = api;
        this.model = model;
        this.ctx = ctx;
        this.vocab = (MemorySegment) api.modelGetVocab.invokeExact(model);
        this.vocabSize = (int) api.vocabNTokens.invokeExact(vocab);
        this.contextLength = contextLength;
        this.batchSize = (int) api.nBatch.invokeExact(ctx);
        int layers = (int) api.modelNLayer.invokeExact(model);
        this.info = new Loaded(api.buildNumber(), meta(api, model, "general.architecture"), meta(api, model, "general.name"),
                describe(api, model), (long) api.modelNParams.invokeExact(model), (long) api.modelSize.invokeExact(model),
                trainContext, contextLength, vocabSize, layers, Math.min(gpuLayers, layers + 1));
        var target = MethodHandles.lookup().findVirtual(NativeModel.class, "shouldAbort",
                MethodType.methodType(boolean.class, MemorySegment.class)).bindTo(this);
        // GGML may call the abort callback from one of its worker threads: a shared arena allows that.
        this.abortStub = api.linker().upcallStub(target, LlamaNative.ABORT_CALLBACK, arena);
    }

    /**
     * Loads {@code request.path()}. llama.cpp reports why a file fails only in its log, so the log
     * lines since the start of the load become the failure's message.
     */
    static NativeModel load(LlamaNative api, LogCapture logs, Load request) throws Throwable {
        try (Arena scratch = Arena.ofConfined()) {
            api.checkAbi(scratch);
            MemorySegment mp = (MemorySegment) api.modelDefaultParams.invokeExact((SegmentAllocator) scratch);
            boolean offload = (boolean) api.supportsGpuOffload.invokeExact();
            int gpuLayers = !offload ? 0 : request.gpuLayers() < 0 ? ALL_LAYERS : request.gpuLayers();
            mp.set(JAVA_INT, LlamaNative.MP_N_GPU_LAYERS, gpuLayers);
            mp.set(JAVA_BYTE, LlamaNative.MP_USE_MMAP, (byte) (request.mmap() ? 1 : 0));
            logs.mark();
            MemorySegment path = scratch.allocateFrom(request.path());
            MemorySegment model = (MemorySegment) api.modelLoadFromFile.invokeExact(path, mp);
            if (model.equals(MemorySegment.NULL)) {
                String reason = logs.problemsSinceMark();
                boolean unsupported = reason.contains("unknown model architecture");
                throw new Failure(unsupported ? ErrorKind.UNSUPPORTED_MODEL : ErrorKind.MODEL_FORMAT,
                        reason.isEmpty() ? "llama.cpp could not load the model (it logged no reason)" : reason);
            }
            try {
                int train = (int) api.modelNCtxTrain.invokeExact(model);
                int wanted = request.contextLength() > 0 ? Math.min(request.contextLength(), train)
                        : Math.min(DEFAULT_CONTEXT_CAP, train);
                MemorySegment cp = (MemorySegment) api.contextDefaultParams.invokeExact((SegmentAllocator) scratch);
                cp.set(JAVA_INT, LlamaNative.CP_N_CTX, wanted);
                cp.set(JAVA_INT, LlamaNative.CP_N_THREADS, request.threads());
                cp.set(JAVA_INT, LlamaNative.CP_N_THREADS_BATCH, request.threads());
                logs.mark();
                MemorySegment ctx = (MemorySegment) api.initFromModel.invokeExact(model, cp);
                if (ctx.equals(MemorySegment.NULL)) {
                    String reason = logs.problemsSinceMark();
                    throw new Failure(ErrorKind.ENGINE_FAILURE, "llama.cpp could not create a context of " + wanted
                            + " tokens" + (reason.isEmpty() ? "" : ": " + reason));
                }
                // llama.cpp may round the context up (padding); we use no more than was asked for.
                int actual = (int) api.nCtx.invokeExact(ctx);
                try {
                    NativeModel m = new NativeModel(api, model, ctx, Math.min(wanted, actual), train, gpuLayers);
                    m.warmUp();
                    return m;
                } catch (Throwable t) {
                    api.free.invokeExact(ctx);
                    throw t;
                }
            } catch (Throwable t) {
                api.modelFree.invokeExact(model);
                throw t;
            }
        }
    }

    Loaded info() {
        return info;
    }

    /**
     * One decode of the BOS token, then an empty cache, as llama.cpp's own tools do at load
     * ({@code common_init_from_params}): the first request then does not pay for allocating the
     * compute graph, starting the thread pool and faulting the weights in.
     */
    private void warmUp() throws Throwable {
        int bos = (int) api.vocabBos.invokeExact(vocab);
        try (Arena scratch = Arena.ofConfined()) {
            Batch batch = new Batch(scratch, 1);
            batch.fill(new int[] {bos >= 0 && bos < vocabSize ? bos : 0}, 0, 1, 0, false);
            decode(batch, Interruption.NONE);
            api.kvSelfClear.invokeExact(ctx);
        }
    }

    int[] tokenize(String text, boolean addSpecial) throws Throwable {
        try (Arena scratch = Arena.ofConfined()) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            MemorySegment src = scratch.allocate(Math.max(1, utf8.length));
            MemorySegment.copy(utf8, 0, src, JAVA_BYTE, 0, utf8.length);
            int max = utf8.length + 8;
            MemorySegment out = scratch.allocate(JAVA_INT, max);
            // parse_special: text such as "<s>" becomes the control token, as in llama.cpp's own tools.
            int n = (int) api.tokenize.invokeExact(vocab, src, utf8.length, out, max, addSpecial, true);
            if (n < 0) {
                out = scratch.allocate(JAVA_INT, -n);
                n = (int) api.tokenize.invokeExact(vocab, src, utf8.length, out, -n, addSpecial, true);
            }
            if (n < 0) {
                throw new Failure(ErrorKind.ENGINE_FAILURE, "llama_tokenize failed (" + n + ")");
            }
            return out.asSlice(0, n * JAVA_INT.byteSize()).toArray(JAVA_INT);
        }
    }

    /** Text of {@code tokens} exactly as a generation streams it: the pieces joined, UTF-8 completed. */
    String detokenize(int[] tokens) throws Throwable {
        Utf8Pieces text = new Utf8Pieces();
        StringBuilder out = new StringBuilder();
        try (Arena scratch = Arena.ofConfined()) {
            PieceBuffer buf = new PieceBuffer(scratch);
            for (int t : tokens) {
                checkToken(t);
                out.append(text.next(buf.piece(t)));
            }
        }
        return out.append(text.finish()).toString();
    }

    /** Runs one generation, streaming each token to {@code sink}; {@code cancel} is polled. */
    Done generate(Generate g, CancelFlag cancel, Consumer<Token> sink) throws Throwable {
        long start = System.nanoTime();
        long deadline = g.timeoutNs() > 0 ? start + g.timeoutNs() : Long.MAX_VALUE;
        int[] prompt = g.promptTokens() != null ? g.promptTokens() : tokenize(g.prompt(), true);
        if (prompt.length == 0) {
            throw new Failure(ErrorKind.INVALID_ARGUMENT, "the prompt encodes to no tokens; give some text");
        }
        if (prompt.length >= contextLength) {
            throw new Failure(ErrorKind.INVALID_ARGUMENT, "the prompt has " + prompt.length + " tokens, the context only "
                    + contextLength + " positions");
        }
        for (int t : prompt) {
            checkToken(t);
        }
        Interruption stopCheck = new Interruption(cancel, deadline);
        try (Arena scratch = Arena.ofConfined(); Sampler sampler = new Sampler(g)) {
            Batch batch = new Batch(scratch, batchSize);
            PieceBuffer pieces = new PieceBuffer(scratch);
            Utf8Pieces text = new Utf8Pieces();
            interruption = g.interruptible() ? stopCheck : Interruption.NONE;
            MemorySegment callback = g.interruptible() ? abortStub : MemorySegment.NULL;
            api.setAbortCallback.invokeExact(ctx, callback, MemorySegment.NULL);
            api.kvSelfClear.invokeExact(ctx);

            StopReason stop = null;
            for (int i = 0; i < prompt.length && stop == null; i += batchSize) {
                int n = Math.min(batchSize, prompt.length - i);
                batch.fill(prompt, i, n, i, false);
                stop = decode(batch, stopCheck);
                if (stop == null) {
                    stop = stopCheck.reason();
                }
            }
            long prefillNs = System.nanoTime() - start;
            int capacity = Math.min(g.maxTokens(), contextLength - prompt.length);
            int count = 0;
            int last = -1;
            while (stop == null) {
                if (count == g.maxTokens()) {
                    stop = StopReason.MAX_TOKENS;
                    break;
                }
                if (count == capacity) {
                    stop = StopReason.CONTEXT_FULL;
                    break;
                }
                if (count > 0) {
                    batch.fill(new int[] {last}, 0, 1, prompt.length + count - 1, false);
                    stop = decode(batch, stopCheck);
                    if (stop != null) {
                        break;
                    }
                }
                int next = sampler.sample();
                long now = System.nanoTime() - start;
                count++;
                last = next;
                boolean eog = (boolean) api.vocabIsEog.invokeExact(vocab, next);
                if (g.stopAtEos() && eog) {
                    sink.accept(new Token(next, "", now, false));
                    stop = StopReason.EOS;
                    break;
                }
                sink.accept(new Token(next, text.next(pieces.piece(next)), now, true));
                stop = stopCheck.reason();
            }
            return new Done(stop, prompt, prefillNs, System.nanoTime() - start, text.finish());
        } finally {
            interruption = Interruption.NONE;
            api.setAbortCallback.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL);
        }
    }

    /** Logits of every position of {@code tokens}, from an empty KV cache. */
    LogitRows logits(int[] tokens) throws Throwable {
        if (tokens.length == 0 || tokens.length > contextLength) {
            throw new Failure(ErrorKind.INVALID_ARGUMENT, tokens.length + " tokens do not fit the context of "
                    + contextLength + " (1 or more needed)");
        }
        for (int t : tokens) {
            checkToken(t);
        }
        float[] out = new float[tokens.length * vocabSize];
        try (Arena scratch = Arena.ofConfined()) {
            Batch batch = new Batch(scratch, batchSize);
            api.kvSelfClear.invokeExact(ctx);
            for (int i = 0; i < tokens.length; i += batchSize) {
                int n = Math.min(batchSize, tokens.length - i);
                batch.fill(tokens, i, n, i, true);
                decode(batch, Interruption.NONE);
                for (int j = 0; j < n; j++) {
                    MemorySegment row = (MemorySegment) api.getLogitsIth.invokeExact(ctx, j);
                    MemorySegment.copy(row.reinterpret((long) vocabSize * Float.BYTES), JAVA_FLOAT, 0, out,
                            (i + j) * vocabSize, vocabSize);
                }
            }
        }
        return new LogitRows(tokens.length, vocabSize, out);
    }

    /** {@code llama_decode}; null when done, the stop reason when the abort callback ended it. */
    private StopReason decode(Batch batch, Interruption check) throws Throwable {
        int rc = (int) api.decode.invokeExact(ctx, batch.struct);
        if (rc == LlamaNative.DECODE_ABORTED) {
            StopReason why = check.reason();
            return why != null ? why : StopReason.CANCELLED;
        }
        if (rc != 0) {
            throw new Failure(ErrorKind.ENGINE_FAILURE, "llama_decode returned " + rc);
        }
        // On GPU backends the call may return before the work is done: timings need it finished.
        api.synchronize.invokeExact(ctx);
        return null;
    }

    private void checkToken(int t) throws Failure {
        if (t < 0 || t >= vocabSize) {
            throw new Failure(ErrorKind.INVALID_ARGUMENT, "token id " + t + " is outside the vocabulary of " + vocabSize);
        }
    }

    /** The abort callback (called by GGML between graph nodes): must never throw. */
    @SuppressWarnings("unused")
    private boolean shouldAbort(MemorySegment data) {
        try {
            return interruption.reason() != null;
        } catch (Throwable t) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            api.free.invokeExact(ctx);
            api.modelFree.invokeExact(model);
        } catch (Throwable ignored) {
            // The process ends right after; nothing left to free.
        } finally {
            arena.close();
        }
    }

    private static String meta(LlamaNative api, MemorySegment model, String key) throws Throwable {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment buf = scratch.allocate(512);
            int n = (int) api.modelMetaValStr.invokeExact(model, scratch.allocateFrom(key), buf, 512L);
            return n < 0 ? "" : buf.getString(0);
        }
    }

    private static String describe(LlamaNative api, MemorySegment model) throws Throwable {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment buf = scratch.allocate(256);
            int n = (int) api.modelDesc.invokeExact(model, buf, 256L);
            return n < 0 ? "" : buf.getString(0);
        }
    }

    /** Cancellation as the parent asked for it; set from the child's reader thread. */
    static final class CancelFlag {
        private volatile boolean cancelled;

        void cancel() {
            cancelled = true;
        }

        boolean isCancelled() {
            return cancelled;
        }
    }

    /** Whether a generation must stop now, and why. */
    private record Interruption(CancelFlag cancel, long deadline) {
        static final Interruption NONE = new Interruption(new CancelFlag(), Long.MAX_VALUE);

        StopReason reason() {
            if (cancel.isCancelled()) {
                return StopReason.CANCELLED;
            }
            return System.nanoTime() - deadline > 0 ? StopReason.TIMEOUT : null;
        }
    }

    /** A {@code llama_batch} of up to {@code capacity} tokens of sequence 0, in native memory. */
    private static final class Batch {
        final MemorySegment struct;
        private final MemorySegment token;
        private final MemorySegment pos;
        private final MemorySegment logits;

        Batch(Arena arena, int capacity) {
            struct = arena.allocate(LlamaNative.BATCH);
            token = arena.allocate(JAVA_INT, capacity);
            pos = arena.allocate(JAVA_INT, capacity);
            MemorySegment nSeqId = arena.allocate(JAVA_INT, capacity);
            MemorySegment seqIds = arena.allocate(ADDRESS, capacity);
            MemorySegment seqZero = arena.allocate(JAVA_INT); // every token belongs to sequence 0
            logits = arena.allocate(JAVA_BYTE, capacity);
            for (int i = 0; i < capacity; i++) {
                nSeqId.setAtIndex(JAVA_INT, i, 1);
                seqIds.setAtIndex(ADDRESS, i, seqZero);
            }
            struct.set(ADDRESS, 8, token);
            struct.set(ADDRESS, 16, MemorySegment.NULL); // embd: we pass token ids
            struct.set(ADDRESS, 24, pos);
            struct.set(ADDRESS, 32, nSeqId);
            struct.set(ADDRESS, 40, seqIds);
            struct.set(ADDRESS, 48, logits);
        }

        /** Tokens {@code src[from..from+n)} at positions {@code firstPos...}; logits for all or the last. */
        void fill(int[] src, int from, int n, int firstPos, boolean allLogits) {
            struct.set(JAVA_INT, 0, n);
            for (int i = 0; i < n; i++) {
                token.setAtIndex(JAVA_INT, i, src[from + i]);
                pos.setAtIndex(JAVA_INT, i, firstPos + i);
                logits.set(JAVA_BYTE, i, (byte) (allLogits || i == n - 1 ? 1 : 0));
            }
        }
    }

    /** {@code llama_token_to_piece} into a reusable buffer (grown when llama.cpp asks for more). */
    private final class PieceBuffer {
        private final Arena arena;
        private MemorySegment buf;
        private int size = 64;

        PieceBuffer(Arena arena) {
            this.arena = arena;
            this.buf = arena.allocate(size);
        }

        byte[] piece(int token) throws Throwable {
            // lstrip 0, special false: control tokens print as nothing, as when llama.cpp streams text.
            int n = (int) api.tokenToPiece.invokeExact(vocab, token, buf, size, 0, false);
            if (n < 0) {
                size = -n;
                buf = arena.allocate(size);
                n = (int) api.tokenToPiece.invokeExact(vocab, token, buf, size, 0, false);
            }
            return buf.asSlice(0, Math.max(0, n)).toArray(JAVA_BYTE);
        }
    }

    /**
     * llama.cpp's sampler chain for one request: greedy (argmax) at temperature 0, else top-k,
     * top-p, temperature and a seeded draw, in llama.cpp's usual order.
     */
    private final class Sampler implements AutoCloseable {
        private final MemorySegment chain;

        Sampler(Generate g) throws Throwable {
            try (Arena scratch = Arena.ofConfined()) {
                MemorySegment params = (MemorySegment) api.samplerChainDefaultParams.invokeExact((SegmentAllocator) scratch);
                chain = (MemorySegment) api.samplerChainInit.invokeExact(params);
            }
            if (g.temperature() == 0f) {
                add((MemorySegment) api.samplerInitGreedy.invokeExact());
            } else {
                if (g.topK() > 0) {
                    add((MemorySegment) api.samplerInitTopK.invokeExact(g.topK()));
                }
                if (g.topP() < 1f) {
                    add((MemorySegment) api.samplerInitTopP.invokeExact(g.topP(), 1L));
                }
                add((MemorySegment) api.samplerInitTemp.invokeExact(g.temperature()));
                // A 32-bit seed; 0xFFFFFFFF is llama.cpp's "random seed", so it is avoided.
                int seed = (int) (g.seed() ^ (g.seed() >>> 32));
                add((MemorySegment) api.samplerInitDist.invokeExact(seed == -1 ? 0 : seed));
            }
        }

        private void add(MemorySegment sampler) throws Throwable {
            api.samplerChainAdd.invokeExact(chain, sampler);
        }

        /** Samples from the logits of the last token decoded (index -1) and accepts it. */
        int sample() throws Throwable {
            return (int) api.samplerSample.invokeExact(chain, ctx, -1);
        }

        @Override
        public void close() {
            try {
                api.samplerFree.invokeExact(chain);
            } catch (Throwable ignored) {
                // freeing a sampler cannot fail in llama.cpp
            }
        }
    }
}
