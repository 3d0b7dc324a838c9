package io.inferlab.llamacpp.child;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The part of llama.cpp's C API (include/llama.h and ggml-backend.h of build b4916, the build that
 * java-llama.cpp 4.1.0/4.2.0 bundles) that the child calls, as FFM downcalls into the library that
 * java-llama.cpp's loader has already loaded.
 *
 * <p>Why not java-llama.cpp's Java API: its {@code LlamaOutput} carries neither token ids nor logits,
 * its prompt must be text (no exact token prompts for ppN tests), and asking it for probabilities
 * ({@code setNProbs}) aborts the process on a failed {@code GGML_ASSERT} in json.hpp (its JNI code
 * reads {@code probs}/{@code tok_str} keys that its bundled server no longer emits). The same
 * library exports llama.h, which has all of these.
 *
 * <p>ABI notes. {@code llama_model_params} and {@code llama_context_params} are passed and returned
 * by value. Both are larger than 16 bytes, so every supported ABI (System V x86-64, AArch64 AAPCS,
 * Windows x64) passes them through memory (a caller-owned copy) and returns them through a hidden
 * result pointer: only the size matters to the call, and a larger size is harmless. They are
 * therefore declared here with their leading fields (which have kept these offsets for many
 * llama.cpp releases) and a generous tail; the fields past the prefix are copied unchanged from
 * llama.cpp's own defaults. {@link #checkAbi} verifies the prefix against the documented defaults
 * before anything is loaded.
 */
@SuppressWarnings("restricted") // calling into llama.cpp through FFM is this class's purpose
public final class LlamaNative {
    /**
     * {@code struct llama_model_params}: devices, n_gpu_layers, split_mode, main_gpu,
     * tensor_split, progress_callback and its user data, kv_overrides, the four flags vocab_only,
     * use_mmap, use_mlock, check_tensors, then the rest.
     */
    static final StructLayout MODEL_PARAMS = MemoryLayout.structLayout(
            ADDRESS.withName("devices"),
            JAVA_INT.withName("n_gpu_layers"),
            JAVA_INT.withName("split_mode"),
            JAVA_INT.withName("main_gpu"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("tensor_split"),
            ADDRESS.withName("progress_callback"),
            ADDRESS.withName("progress_callback_user_data"),
            ADDRESS.withName("kv_overrides"),
            JAVA_BYTE.withName("vocab_only"),
            JAVA_BYTE.withName("use_mmap"),
            JAVA_BYTE.withName("use_mlock"),
            JAVA_BYTE.withName("check_tensors"),
            MemoryLayout.paddingLayout(4),
            MemoryLayout.sequenceLayout(20, JAVA_LONG).withName("tail"));
    static final long MP_DEVICES = MODEL_PARAMS.byteOffset(MemoryLayout.PathElement.groupElement("devices"));
    static final long MP_N_GPU_LAYERS = MODEL_PARAMS.byteOffset(MemoryLayout.PathElement.groupElement("n_gpu_layers"));
    static final long MP_SPLIT_MODE = MODEL_PARAMS.byteOffset(MemoryLayout.PathElement.groupElement("split_mode"));
    static final long MP_MAIN_GPU = MODEL_PARAMS.byteOffset(MemoryLayout.PathElement.groupElement("main_gpu"));
    static final long MP_VOCAB_ONLY = MODEL_PARAMS.byteOffset(MemoryLayout.PathElement.groupElement("vocab_only"));
    static final long MP_USE_MMAP = MODEL_PARAMS.byteOffset(MemoryLayout.PathElement.groupElement("use_mmap"));
    static final long MP_USE_MLOCK = MODEL_PARAMS.byteOffset(MemoryLayout.PathElement.groupElement("use_mlock"));

    /** {@code struct llama_context_params}: n_ctx, n_batch, n_ubatch, n_seq_max, n_threads, n_threads_batch, then the rest. */
    static final StructLayout CONTEXT_PARAMS = MemoryLayout.structLayout(
            JAVA_INT.withName("n_ctx"),
            JAVA_INT.withName("n_batch"),
            JAVA_INT.withName("n_ubatch"),
            JAVA_INT.withName("n_seq_max"),
            JAVA_INT.withName("n_threads"),
            JAVA_INT.withName("n_threads_batch"),
            MemoryLayout.sequenceLayout(61, JAVA_LONG).withName("tail"));
    static final long CP_N_CTX = 0;
    static final long CP_N_BATCH = 4;
    static final long CP_N_UBATCH = 8;
    static final long CP_N_SEQ_MAX = 12;
    static final long CP_N_THREADS = 16;
    static final long CP_N_THREADS_BATCH = 20;

    /**
     * {@code struct llama_batch}, exact: n_tokens, token*, embd*, pos*, n_seq_id*, seq_id**, logits*
     * (int8 per token: whether to output its logits).
     */
    static final StructLayout BATCH = MemoryLayout.structLayout(
            JAVA_INT.withName("n_tokens"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("token"),
            ADDRESS.withName("embd"),
            ADDRESS.withName("pos"),
            ADDRESS.withName("n_seq_id"),
            ADDRESS.withName("seq_id"),
            ADDRESS.withName("logits"));

    /** {@code struct llama_sampler_chain_params { bool no_perf; }}, exact (small: passed in a register). */
    static final StructLayout SAMPLER_CHAIN_PARAMS = MemoryLayout.structLayout(JAVA_BOOLEAN.withName("no_perf"));

    /** {@code enum ggml_backend_dev_type}. */
    public static final int DEVICE_TYPE_CPU = 0;
    public static final int DEVICE_TYPE_GPU = 1;

    /** {@code enum ggml_log_level}: NONE 0, DEBUG 1, INFO 2, WARN 3, ERROR 4, CONT 5 (continues the previous line). */
    public static final int LOG_WARN = 3;
    public static final int LOG_ERROR = 4;
    public static final int LOG_CONT = 5;

    /** {@code llama_decode} return value when the abort callback stopped it. */
    public static final int DECODE_ABORTED = 2;

    /** The callback types, for upcall stubs. */
    public static final FunctionDescriptor LOG_CALLBACK = FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, ADDRESS);
    public static final FunctionDescriptor ABORT_CALLBACK = FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS);

    private final Linker linker = Linker.nativeLinker();
    private final SymbolLookup lookup;

    final MethodHandle backendInit;
    final MethodHandle logSet;
    final MethodHandle ggmlLogSet;
    final MethodHandle modelDefaultParams;
    final MethodHandle contextDefaultParams;
    final MethodHandle modelLoadFromFile;
    final MethodHandle initFromModel;
    final MethodHandle modelFree;
    final MethodHandle free;
    final MethodHandle modelGetVocab;
    final MethodHandle vocabNTokens;
    final MethodHandle vocabIsEog;
    final MethodHandle vocabBos;
    final MethodHandle tokenize;
    final MethodHandle tokenToPiece;
    final MethodHandle detokenize;
    final MethodHandle nCtx;
    final MethodHandle nBatch;
    final MethodHandle modelNCtxTrain;
    final MethodHandle modelNLayer;
    final MethodHandle modelNParams;
    final MethodHandle modelSize;
    final MethodHandle modelDesc;
    final MethodHandle modelMetaValStr;
    final MethodHandle decode;
    final MethodHandle getLogitsIth;
    final MethodHandle kvSelfClear;
    final MethodHandle synchronize;
    final MethodHandle setAbortCallback;
    final MethodHandle printSystemInfo;
    final MethodHandle supportsGpuOffload;
    final MethodHandle devCount;
    final MethodHandle devGet;
    final MethodHandle devName;
    final MethodHandle devDescription;
    final MethodHandle devType;
    final MethodHandle devMemory;
    final MethodHandle samplerChainDefaultParams;
    final MethodHandle samplerChainInit;
    final MethodHandle samplerChainAdd;
    final MethodHandle samplerInitGreedy;
    final MethodHandle samplerInitTopK;
    final MethodHandle samplerInitTopP;
    final MethodHandle samplerInitTemp;
    final MethodHandle samplerInitDist;
    final MethodHandle samplerSample;
    final MethodHandle samplerFree;

    private LlamaNative(SymbolLookup lookup) {
        this.lookup = lookup;
        backendInit = fn("llama_backend_init", FunctionDescriptor.ofVoid());
        logSet = fn("llama_log_set", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        ggmlLogSet = fn("ggml_log_set", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        modelDefaultParams = fn("llama_model_default_params", FunctionDescriptor.of(MODEL_PARAMS));
        contextDefaultParams = fn("llama_context_default_params", FunctionDescriptor.of(CONTEXT_PARAMS));
        modelLoadFromFile = fn("llama_model_load_from_file", FunctionDescriptor.of(ADDRESS, ADDRESS, MODEL_PARAMS));
        initFromModel = fn("llama_init_from_model", FunctionDescriptor.of(ADDRESS, ADDRESS, CONTEXT_PARAMS));
        modelFree = fn("llama_model_free", FunctionDescriptor.ofVoid(ADDRESS));
        free = fn("llama_free", FunctionDescriptor.ofVoid(ADDRESS));
        modelGetVocab = fn("llama_model_get_vocab", FunctionDescriptor.of(ADDRESS, ADDRESS));
        vocabNTokens = fn("llama_vocab_n_tokens", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        vocabIsEog = fn("llama_vocab_is_eog", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT));
        vocabBos = fn("llama_vocab_bos", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        tokenize = fn("llama_tokenize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT,
                JAVA_BOOLEAN, JAVA_BOOLEAN));
        tokenToPiece = fn("llama_token_to_piece", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT,
                JAVA_INT, JAVA_BOOLEAN));
        detokenize = fn("llama_detokenize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT,
                JAVA_BOOLEAN, JAVA_BOOLEAN));
        nCtx = fn("llama_n_ctx", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        nBatch = fn("llama_n_batch", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        modelNCtxTrain = fn("llama_model_n_ctx_train", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        modelNLayer = fn("llama_model_n_layer", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        modelNParams = fn("llama_model_n_params", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        modelSize = fn("llama_model_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        modelDesc = fn("llama_model_desc", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        modelMetaValStr = fn("llama_model_meta_val_str", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        decode = fn("llama_decode", FunctionDescriptor.of(JAVA_INT, ADDRESS, BATCH));
        getLogitsIth = fn("llama_get_logits_ith", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        kvSelfClear = fn("llama_kv_self_clear", FunctionDescriptor.ofVoid(ADDRESS));
        synchronize = fn("llama_synchronize", FunctionDescriptor.ofVoid(ADDRESS));
        setAbortCallback = fn("llama_set_abort_callback", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        printSystemInfo = fn("llama_print_system_info", FunctionDescriptor.of(ADDRESS));
        supportsGpuOffload = fn("llama_supports_gpu_offload", FunctionDescriptor.of(JAVA_BOOLEAN));
        devCount = fn("ggml_backend_dev_count", FunctionDescriptor.of(JAVA_LONG));
        devGet = fn("ggml_backend_dev_get", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
        devName = fn("ggml_backend_dev_name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        devDescription = fn("ggml_backend_dev_description", FunctionDescriptor.of(ADDRESS, ADDRESS));
        devType = fn("ggml_backend_dev_type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        devMemory = fn("ggml_backend_dev_memory", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        samplerChainDefaultParams = fn("llama_sampler_chain_default_params", FunctionDescriptor.of(SAMPLER_CHAIN_PARAMS));
        samplerChainInit = fn("llama_sampler_chain_init", FunctionDescriptor.of(ADDRESS, SAMPLER_CHAIN_PARAMS));
        samplerChainAdd = fn("llama_sampler_chain_add", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        samplerInitGreedy = fn("llama_sampler_init_greedy", FunctionDescriptor.of(ADDRESS));
        samplerInitTopK = fn("llama_sampler_init_top_k", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        samplerInitTopP = fn("llama_sampler_init_top_p", FunctionDescriptor.of(ADDRESS, JAVA_FLOAT, JAVA_LONG));
        samplerInitTemp = fn("llama_sampler_init_temp", FunctionDescriptor.of(ADDRESS, JAVA_FLOAT));
        samplerInitDist = fn("llama_sampler_init_dist", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        samplerSample = fn("llama_sampler_sample", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        samplerFree = fn("llama_sampler_free", FunctionDescriptor.ofVoid(ADDRESS));
    }

    /**
     * Loads java-llama.cpp's native library for this OS and architecture (its loader extracts it
     * from the jar into {@code de.kherud.llama.tmpdir} and {@code System.load}s it) and binds the
     * functions above in it.
     *
     * @throws UnsatisfiedLinkError when there is no library for this platform or it cannot load
     * @throws IllegalStateException when a function is missing from the library
     */
    public static LlamaNative load() {
        try {
            // Initializing the binding's LlamaModel class runs its static LlamaLoader.initialize().
            Class.forName(de.kherud.llama.LlamaModel.class.getName(), true, LlamaNative.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("java-llama.cpp (de.kherud:llama) is not on the class path", e);
        } catch (ExceptionInInitializerError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            UnsatisfiedLinkError u = new UnsatisfiedLinkError("java-llama.cpp could not load its native library: " + cause);
            u.initCause(cause);
            throw u;
        }
        // System.load by the loader registered the library with this class loader.
        return new LlamaNative(SymbolLookup.loaderLookup());
    }

    private MethodHandle fn(String name, FunctionDescriptor descriptor) {
        MemorySegment address = lookup.find(name).orElseThrow(() -> new IllegalStateException(
                "llama.cpp's library has no function " + name + " (is java-llama.cpp a version other than 4.1.0/4.2.0?)"));
        return linker.downcallHandle(address, descriptor);
    }

    Linker linker() {
        return linker;
    }

    /** The llama.cpp build number the library was built from ({@code LLAMA_BUILD_NUMBER}), or -1. */
    public int buildNumber() {
        return lookup.find("LLAMA_BUILD_NUMBER").map(s -> s.reinterpret(JAVA_INT.byteSize()).get(JAVA_INT, 0)).orElse(-1);
    }

    /** The llama.cpp commit ({@code LLAMA_COMMIT}), or "". */
    public String commit() {
        Optional<MemorySegment> sym = lookup.find("LLAMA_COMMIT");
        if (sym.isEmpty()) {
            return "";
        }
        MemorySegment ptr = sym.get().reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
        return ptr.equals(MemorySegment.NULL) ? "" : cString(ptr);
    }

    /**
     * Checks that llama.cpp's default parameters read back as llama.h documents them at the offsets
     * declared above; a mismatch means another llama.h, and nothing is called with guessed layouts.
     */
    void checkAbi(Arena arena) throws Throwable {
        MemorySegment mp = (MemorySegment) modelDefaultParams.invokeExact((java.lang.foreign.SegmentAllocator) arena);
        MemorySegment cp = (MemorySegment) contextDefaultParams.invokeExact((java.lang.foreign.SegmentAllocator) arena);
        boolean modelOk = mp.get(ADDRESS, MP_DEVICES).equals(MemorySegment.NULL)
                && mp.get(JAVA_INT, MP_SPLIT_MODE) == 1 // LLAMA_SPLIT_MODE_LAYER
                && mp.get(JAVA_INT, MP_MAIN_GPU) == 0
                && mp.get(JAVA_BYTE, MP_VOCAB_ONLY) == 0 && mp.get(JAVA_BYTE, MP_USE_MMAP) == 1
                && mp.get(JAVA_BYTE, MP_USE_MLOCK) == 0;
        boolean contextOk = cp.get(JAVA_INT, CP_N_CTX) == 512 && cp.get(JAVA_INT, CP_N_BATCH) == 2048
                && cp.get(JAVA_INT, CP_N_UBATCH) == 512 && cp.get(JAVA_INT, CP_N_SEQ_MAX) == 1;
        if (!modelOk || !contextOk) {
            throw new IllegalStateException("llama.cpp's default parameters do not read back as llama.h of build b4916 "
                    + "defines them (model params ok: " + modelOk + ", context params ok: " + contextOk
                    + "); the bundled library is another llama.cpp version");
        }
    }

    /** A NUL-terminated UTF-8 string at {@code ptr}. */
    static String cString(MemorySegment ptr) {
        return ptr.reinterpret(Long.MAX_VALUE).getString(0);
    }

    static MemorySegment byteBuffer(Arena arena, long size) {
        return arena.allocate(JAVA_BYTE, size);
    }
}
