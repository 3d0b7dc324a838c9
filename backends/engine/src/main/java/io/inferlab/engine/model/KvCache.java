package io.inferlab.engine.model;

import io.inferlab.api.UnsupportedModelException;

/**
 * Keys and values of every past position, per layer, on the heap: position {@code p}'s
 * {@code kvDim} values at {@code p * kvDim}. Allocated once for the whole context.
 */
final class KvCache {
    private final int kvDim;
    private final float[][] keys;
    private final float[][] values;

    /** @throws UnsupportedModelException when the cache would not fit in the heap that is left */
    KvCache(int layers, int contextLength, int kvDim) {
        long bytes = 2L * layers * contextLength * kvDim * Float.BYTES;
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (contextLength * (long) kvDim > Integer.MAX_VALUE - 8 || bytes > free * 0.8) {
            throw new UnsupportedModelException("a KV cache of " + contextLength + " positions needs "
                    + (bytes >> 20) + " MiB, more than the " + (free >> 20)
                    + " MiB of heap available: use a smaller context length or a larger -Xmx");
        }
        this.kvDim = kvDim;
        this.keys = new float[layers][contextLength * kvDim];
        this.values = new float[layers][contextLength * kvDim];
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }

    /** Stores position {@code pos}'s key and value, read from {@code k[kOff..]} and {@code v[vOff..]}. */
    void store(int layer, int pos, float[] k, int kOff, float[] v, int vOff) {
        System.arraycopy(k, kOff, keys[layer], pos * kvDim, kvDim);
        System.arraycopy(v, vOff, values[layer], pos * kvDim, kvDim);
    }
}
