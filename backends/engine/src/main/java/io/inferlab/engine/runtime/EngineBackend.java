package io.inferlab.engine.runtime;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendFailedException;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.ChatRequest;
import io.inferlab.api.ChatResult;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.GenerationTimings;
import io.inferlab.api.InferLabException;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelFormatException;
import io.inferlab.api.ModelInfo;
import io.inferlab.api.PlainChatTemplate;
import io.inferlab.api.StopReason;
import io.inferlab.api.TokenListener;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.gguf.GgufTensorInfo;
import io.inferlab.engine.harmony.HarmonyChat;
import io.inferlab.engine.harmony.HarmonyEncoding;
import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.model.ForwardPass;
import io.inferlab.engine.model.GptOssModel;
import io.inferlab.engine.model.Model;
import io.inferlab.engine.model.Models;
import io.inferlab.engine.sampling.Sampler;
import io.inferlab.engine.tensor.Tensor;
import io.inferlab.engine.tokenizer.Tokenizer;

/**
 * An {@link InferenceBackend} that runs the engine's own forward pass on a set of host
 * {@link Kernels}: the CPU backend with Vector API kernels, and the scalar reference used as
 * the oracle in tests. The model's architecture ({@link Models#load}) picks the forward pass.
 */
public final class EngineBackend implements InferenceBackend {
    /**
     * Tokens per batched prefill pass (llama.cpp's ubatch is 512). Each pass reads every weight
     * once and the CPU backend multiplies 64-token panels best several at a time: over 1B-shaped
     * Q4_0 matrices on 2 threads, batches of 64, 128 and 256 tokens ran at 200, 234 and 250
     * GFLOP/s (10 alternating rounds in one process, 2026-11-27). The activation buffers grow
     * with it: about 86 KB per token for a 1B shape.
     */
    public static final int DEFAULT_MAX_BATCH = 256;
    /** Default KV cache length when the model's own context is larger (the cache is on the heap). */
    public static final int DEFAULT_CONTEXT_CAP = 4096;

    private final String id;
    private final AccelerationType acceleration;
    private final GgufFile file;
    private final Model model;
    /** What {@link #close} frees besides the file: the host kernels or the device forward pass. */
    private final AutoCloseable resources;
    private final ForwardPass transformer;
    private final ModelInfo info;
    private final String computeMode;
    /** The chat format of gpt-oss models (null: the plain template). */
    private final HarmonyEncoding harmony;
    private volatile RuntimeException failure;
    private boolean closed;

    private EngineBackend(String id, AccelerationType acceleration, GgufFile file, Model model,
                          AutoCloseable resources, ForwardPass transformer, String computeDescription) {
        this.id = id;
        this.acceleration = acceleration;
        this.file = file;
        this.model = model;
        this.resources = resources;
        this.transformer = transformer;
        this.info = modelInfo(file, model);
        this.computeMode = computeMode(model, computeDescription);
        this.harmony = model instanceof GptOssModel && HarmonyEncoding.supports(model.tokenizer())
                ? HarmonyEncoding.of(model.tokenizer()) : null;
    }

    /**
     * Maps and loads {@code path} and runs it on the kernels made for {@code options}, which are
     * shown every matrix ({@link Kernels#prepare}) and the embedding ({@link Kernels#prepareLookup})
     * first: that is where they copy weights into memory unless {@link BackendOptions#mmap()}. On
     * any failure the file and the kernels are released before the exception propagates.
     */
    public static EngineBackend open(String id, AccelerationType acceleration, Path path, BackendOptions options,
                                     Function<BackendOptions, Kernels> kernelsForOptions) {
        GgufFile file = GgufFile.open(path);
        Kernels kernels = null;
        try {
            Model model = Models.load(file);
            int ctx = options.contextLength() > 0
                    ? Math.min(options.contextLength(), model.contextLength())
                    : Math.min(DEFAULT_CONTEXT_CAP, model.contextLength());
            kernels = kernelsForOptions.apply(options);
            for (Tensor w : model.matrices()) {
                kernels.prepare(w);
            }
            kernels.prepareLookup(model.tokenEmbedding());
            return new EngineBackend(id, acceleration, file, model, kernels,
                    model.forwardPass(kernels, ctx, DEFAULT_MAX_BATCH), kernels.description());
        } catch (RuntimeException | Error e) {
            RuntimeException typed = GgufFile.isMappedAccessFault(e) ? file.changedOnDisk(e) : null;
            if (kernels != null) {
                kernels.close();
            }
            file.close();
            if (typed != null) {
                throw typed; // truncated on disk while loading read it (weight statistics, forward-pass setup)
            }
            throw e;
        }
    }

    /**
     * Maps and loads {@code path} and runs it on a device forward pass (a GPU backend) with this
     * runtime's tokenizer, sampler and generation loop. {@code maxContext} caps the KV cache when
     * the options leave it open (device caches are sized up front). On any failure the file is
     * released before the exception propagates (the factory frees its own allocations).
     */
    public static EngineBackend open(String id, AccelerationType acceleration, Path path, BackendOptions options,
                                     int maxContext, DeviceForwardPass.Factory device) {
        GgufFile file = GgufFile.open(path);
        try {
            Model model = Models.load(file);
            int ctx = options.contextLength() > 0
                    ? Math.min(options.contextLength(), model.contextLength())
                    : Math.min(maxContext, model.contextLength());
            DeviceForwardPass pass = device.open(model, ctx, DEFAULT_MAX_BATCH);
            try {
                return new EngineBackend(id, acceleration, file, model, pass, pass, pass.description());
            } catch (RuntimeException | Error e) {
                pass.close();
                throw e;
            }
        } catch (RuntimeException | Error e) {
            RuntimeException typed = GgufFile.isMappedAccessFault(e) ? file.changedOnDisk(e) : null;
            file.close();
            if (typed != null) {
                throw typed; // truncated on disk while loading or the device upload read it
            }
            throw e;
        }
    }

    @Override
    public String id() {
        return id;
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

    /** The device forward pass's figure; empty on host kernels (their memory is the JVM's). */
    @Override
    public java.util.OptionalLong deviceMemoryBytes() {
        return transformer instanceof DeviceForwardPass d ? d.deviceMemoryBytes() : java.util.OptionalLong.empty();
    }

    public Tokenizer tokenizer() {
        return model.tokenizer();
    }

    public int contextLength() {
        return transformer.contextLength();
    }

    @Override
    public int[] encode(String text) {
        return model.encodePrompt(text);
    }

    @Override
    public String decode(int[] tokens) {
        return model.tokenizer().decode(tokens);
    }

    @Override
    public synchronized GenerationResult generate(GenerationRequest request, TokenListener listener) {
        ensureUsable();
        try {
            return new Generation(request, listener).run();
        } catch (InferLabException | IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw fail(e);
        }
    }

    /** Harmony for gpt-oss models, the plain template for the others. */
    @Override
    public synchronized ChatResult chat(ChatRequest request, TokenListener listener) {
        ensureUsable();
        return harmony != null ? HarmonyChat.chat(this, harmony, request, listener)
                : InferenceBackend.super.chat(request, listener);
    }

    /** The chat format {@link #chat} uses: {@code harmony} or {@code plain}. */
    public String chatFormat() {
        return harmony != null ? HarmonyChat.FORMAT : PlainChatTemplate.FORMAT;
    }

    @Override
    public synchronized float[][] logits(int[] tokens) {
        ensureUsable();
        if (tokens.length > transformer.contextLength()) {
            throw new IllegalArgumentException(tokens.length + " tokens exceed the context of " + transformer.contextLength());
        }
        float[][] out = new float[tokens.length][model.vocabSize()];
        try {
            for (int i = 0; i < tokens.length; i += transformer.maxBatch()) {
                int n = Math.min(transformer.maxBatch(), tokens.length - i);
                transformer.forwardAll(tokens, i, n, i, out, i);
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw fail(e);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                resources.close();
            } catch (Exception e) {
                throw new BackendFailedException("backend '" + id + "' failed to free its resources: " + e, e);
            } finally {
                file.close();
            }
        }
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("backend '" + id + "' is closed");
        }
        if (failure != null) {
            throw new BackendFailedException("backend '" + id + "' failed earlier: " + failure, failure);
        }
    }

    private InferLabException fail(Throwable e) {
        if (GgufFile.isMappedAccessFault(e)) {
            // The model file was truncated on disk while mapped: say so, naming the file.
            ModelFormatException changed = file.changedOnDisk(e);
            failure = changed;
            return changed;
        }
        failure = e instanceof RuntimeException r ? r : new RuntimeException(e);
        return new BackendFailedException("backend '" + id + "' failed: " + e, e);
    }

    /** One request's prefill and decode loop, with its clock. */
    private final class Generation {
        private final GenerationRequest request;
        private final TokenListener listener;
        private final long start = System.nanoTime();
        private final long deadline;

        Generation(GenerationRequest request, TokenListener listener) {
            this.request = request;
            this.listener = listener;
            this.deadline = request.timeout() == null ? Long.MAX_VALUE : start + request.timeout().toNanos();
        }

        GenerationResult run() {
            Tokenizer tok = model.tokenizer();
            int[] prompt = request.promptTokens() != null ? request.promptTokens() : model.encodePrompt(request.prompt());
            int ctx = transformer.contextLength();
            if (prompt.length == 0) {
                throw new IllegalArgumentException("the prompt encodes to no tokens; give some text");
            }
            if (prompt.length >= ctx) {
                throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens, the context only "
                        + ctx + " positions");
            }
            int vocab = model.vocabSize();
            Sampler sampler = new Sampler(request.sampling(), vocab);
            Tokenizer.StreamingDecoder decoder = tok.streamingDecoder();
            int[] generated = new int[Math.min(request.maxTokens(), ctx - prompt.length)];
            long[] itl = new long[Math.max(0, generated.length - 1)];
            StringBuilder text = new StringBuilder();

            // A greedy request on a device pass takes the argmax where the logits are: one int
            // comes back per token instead of the whole vocabulary.
            DeviceForwardPass argmaxOnDevice = request.sampling().isGreedy()
                    && transformer instanceof DeviceForwardPass d ? d : null;
            float[] logits = null;
            int deviceNext = -1;
            StopReason stop = null;
            for (int i = 0; i < prompt.length && stop == null; i += transformer.maxBatch()) {
                int n = Math.min(transformer.maxBatch(), prompt.length - i);
                if (argmaxOnDevice != null) {
                    deviceNext = argmaxOnDevice.forwardArgmax(prompt, i, n, i);
                } else {
                    logits = transformer.forward(prompt, i, n, i);
                }
                stop = interruption();
            }
            long prefillNs = System.nanoTime() - start;
            long ttft = 0;
            long last = 0;
            int count = 0;
            int pos = prompt.length;
            while (stop == null) {
                if (count == request.maxTokens()) {
                    stop = StopReason.MAX_TOKENS;
                    break;
                }
                if (count == generated.length) {
                    stop = StopReason.CONTEXT_FULL;
                    break;
                }
                int next;
                if (argmaxOnDevice != null) {
                    if (count > 0) {
                        deviceNext = argmaxOnDevice.forwardArgmax(generated, count - 1, 1, pos++);
                    }
                    next = deviceNext;
                } else {
                    if (count > 0) {
                        logits = transformer.forward(generated, count - 1, 1, pos++);
                    }
                    next = sampler.sample(logits, vocab);
                }
                long now = System.nanoTime();
                if (count == 0) {
                    ttft = now - start;
                } else {
                    itl[count - 1] = now - last;
                }
                last = now;
                generated[count++] = next;
                if (request.stopAtEos() && model.isEndOfGeneration(next)) {
                    stop = StopReason.EOS;
                    break;
                }
                String piece = decoder.next(next);
                text.append(piece);
                listener.onToken(next, piece);
                stop = interruption();
            }
            // Bytes of a character the generation cut off: kept in the result's text (as U+FFFD).
            text.append(decoder.finish());
            int[] tokens = java.util.Arrays.copyOf(generated, count);
            long[] gaps = java.util.Arrays.copyOf(itl, Math.max(0, count - 1));
            GenerationTimings timings = new GenerationTimings(prompt.length, prefillNs, ttft, gaps, System.nanoTime() - start);
            return new GenerationResult(prompt, tokens, text.toString(), stop, timings, computeMode);
        }

        private StopReason interruption() {
            if (request.cancellation() != null && request.cancellation().isCancelled()) {
                return StopReason.CANCELLED;
            }
            return System.nanoTime() - deadline > 0 ? StopReason.TIMEOUT : null;
        }
    }

    private static ModelInfo modelInfo(GgufFile file, Model model) {
        Map<String, Integer> types = new TreeMap<>(file.tensorInfos().stream()
                .collect(Collectors.groupingBy(t -> t.type().name(), Collectors.summingInt(t -> 1))));
        long params = file.tensorInfos().stream().mapToLong(GgufTensorInfo::elementCount).sum();
        return new ModelInfo(file.path(), model.architecture(), file.metadata().optString("general.name").orElse(""),
                params, types, file.tensorBytes(), model.weightBytesPerToken(), model.contextLength(), model.vocabSize());
    }

    /** E.g. "q8_0 weights x f32 activations, f32 accumulate (Vector API ...)". */
    private static String computeMode(Model model, String computeDescription) {
        return model.weightsDescription() + " x f32 activations, f32 accumulate (" + computeDescription + ")";
    }
}
