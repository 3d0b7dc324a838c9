package io.inferlab.llamacpp.protocol;

import java.util.List;
import java.util.Objects;

import io.inferlab.api.StopReason;

/**
 * The messages between the backend (parent JVM) and the llama.cpp child JVM, one frame each on the
 * loopback socket (see {@link Wire}). Requests go parent to child; every request gets exactly one
 * final reply ({@link Error} or the request's own), a {@link Generate} first streams {@link Token}s.
 */
public sealed interface Message {

    // ---- child to parent, once, right after connecting ----

    /** Proves the connection is the child we started ({@code secret} came on its command line). */
    record Hello(String secret, long pid) implements Message {
    }

    // ---- requests ----

    /** What the library is and which devices GGML sees. Needs no model. */
    record Probe() implements Message {
    }

    /** Loads a GGUF model and creates its context; {@code mmap} is llama.cpp's {@code use_mmap}. */
    record Load(String path, int threads, int contextLength, int gpuLayers, boolean mmap) implements Message {
    }

    /** Tokens of {@code text} (with BOS where the model wants it when {@code addSpecial}). */
    record Tokenize(String text, boolean addSpecial) implements Message {
    }

    /** Text of {@code tokens}. */
    record Detokenize(int[] tokens) implements Message {
    }

    /**
     * One generation. {@code promptTokens} null means: tokenize {@code prompt}. {@code timeoutNs} 0
     * means none; {@code interruptible} installs llama.cpp's abort callback so a cancel or timeout
     * also stops a long {@code llama_decode} (off for benchmarks, where it would cost a check per
     * graph node).
     */
    record Generate(String prompt, int[] promptTokens, int maxTokens, float temperature, int topK, float topP, long seed,
                    boolean stopAtEos, long timeoutNs, boolean interruptible) implements Message {
        public Generate {
            Objects.requireNonNull(prompt, "prompt");
        }
    }

    /** Stops the running generation (it ends with {@link StopReason#CANCELLED}). */
    record Cancel() implements Message {
    }

    /** Logits of every position of {@code tokens}, from an empty context. */
    record Logits(int[] tokens) implements Message {
    }

    /** Frees the model and ends the child. */
    record Close() implements Message {
    }

    // ---- replies ----

    /** One device GGML found ({@code type}: 0 CPU, 1 GPU, 2 accelerator). */
    record Device(String name, String description, int type, long memoryTotal, long memoryFree) {
    }

    record ProbeInfo(int buildNumber, String commit, String systemInfo, boolean gpuOffload, List<Device> devices)
            implements Message {
        public ProbeInfo {
            devices = List.copyOf(devices);
        }
    }

    /** What llama.cpp (build {@code buildNumber}) loaded: its own facts, for ModelInfo. */
    record Loaded(int buildNumber, String architecture, String name, String description, long parameterCount, long sizeBytes,
                  int trainContextLength, int contextLength, int vocabularySize, int layers, int gpuLayers)
            implements Message {
    }

    record Tokens(int[] tokens) implements Message {
    }

    record Text(String text) implements Message {
    }

    /**
     * A sampled token: its id, the text it adds ("" while a UTF-8 character is incomplete) and when
     * it was sampled, in nanoseconds since the child received the request. {@code visible} is false
     * for the end-of-generation token that stops a generation (counted, timed, not printed).
     */
    record Token(int id, String piece, long timeNs, boolean visible) implements Message {
    }

    /**
     * The end of a generation: why, the prompt's tokens, when the prompt's logits were ready
     * ({@code prefillNs}), the end-to-end time, and text still held back at the end (the bytes of
     * a cut-off character, as U+FFFD).
     */
    record Done(StopReason stopReason, int[] promptTokens, long prefillNs, long e2eNs, String tail) implements Message {
    }

    record LogitRows(int rows, int vocabulary, float[] values) implements Message {
        public LogitRows {
            if ((long) rows * vocabulary != values.length) {
                throw new IllegalArgumentException(rows + " x " + vocabulary + " logits, got " + values.length + " values");
            }
        }
    }

    record Closed() implements Message {
    }

    /** The request failed; {@code kind} says how the parent should report it. */
    record Error(ErrorKind kind, String message) implements Message {
    }

    enum ErrorKind {
        /** The request itself was wrong (empty prompt, too long for the context). */
        INVALID_ARGUMENT,
        /** llama.cpp cannot load the file; the message carries llama.cpp's reason. */
        MODEL_FORMAT,
        /** The file is valid GGUF but llama.cpp does not support what it holds (architecture). */
        UNSUPPORTED_MODEL,
        /** The native library cannot be loaded or is not the expected llama.cpp. */
        LIBRARY_UNAVAILABLE,
        /** llama.cpp failed while running; the backend is unusable afterwards. */
        ENGINE_FAILURE
    }
}
