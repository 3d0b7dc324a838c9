package io.inferlab.api;

/**
 * Options common to all backends.
 *
 * @param threads        compute threads on the host (0 = all available processors)
 * @param deviceIndex    which device of the backend's probe to use (-1 = the backend's default)
 * @param contextLength  maximum sequence length for the KV cache (0 = the model's own)
 * @param mmap           whether host backends read weights in place from the mapped model file
 *                       (llama.cpp's {@code use_mmap}); false, the default, copies them into
 *                       memory first, which decodes faster (weights streamed from a file
 *                       mapping were up to a third slower on the development machine) and costs
 *                       load time and memory the OS cannot page out (a model too large for the available
 *                       memory stays mapped, and the backend's compute mode says so). Device
 *                       backends upload weights either way.
 */
public record BackendOptions(int threads, int deviceIndex, int contextLength, boolean mmap) {
    public BackendOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        if (deviceIndex < -1) {
            throw new IllegalArgumentException("deviceIndex must be >= -1, got " + deviceIndex);
        }
        if (contextLength < 0) {
            throw new IllegalArgumentException("contextLength must be >= 0, got " + contextLength);
        }
    }

    public static BackendOptions defaults() {
        return new BackendOptions(0, -1, 0, false);
    }

    public BackendOptions withThreads(int n) {
        return new BackendOptions(n, deviceIndex, contextLength, mmap);
    }

    public BackendOptions withContextLength(int n) {
        return new BackendOptions(threads, deviceIndex, n, mmap);
    }

    public BackendOptions withMmap(boolean m) {
        return new BackendOptions(threads, deviceIndex, contextLength, m);
    }

    /** The thread count to use: {@link #threads()} or, when 0, every available processor. */
    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
