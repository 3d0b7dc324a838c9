package io.inferlab.datasets.models;

/**
 * What a model needs, computed from its shape and tensor types before any file exists: for
 * dry runs of shapes too large to generate here, and for choosing a device.
 *
 * @param weightBytes          tensor data of the file (the file adds its header: metadata and vocabulary)
 * @param bytesPerToken        weight bytes one decode step reads (dense matrices, the active
 *                             experts only, one embedding row): decode tokens/s <= bandwidth / this
 * @param kvBytesPerPosition   KV cache bytes per context position as our engine keeps it (F32,
 *                             every layer, every position)
 * @param kvBytesPer1kCompact  KV cache bytes for 1024 positions as llama.cpp keeps it (F16;
 *                             sliding-window layers keep only their window)
 */
public record MemoryPlan(String preset, String type, long parameters, long weightBytes, long bytesPerToken,
                         long kvBytesPerPosition, long kvBytesPer1kCompact) {

    /** KV cache bytes of our engine for {@code positions} positions. */
    public long kvBytes(long positions) {
        return kvBytesPerPosition * positions;
    }

    /** Weights plus our engine's KV cache for {@code contextPositions}. */
    public long requiredBytes(long contextPositions) {
        return weightBytes + kvBytes(contextPositions);
    }

    /** Whether the model and a {@code contextPositions} KV cache fit in {@code memoryBytes}. */
    public boolean fits(long memoryBytes, long contextPositions) {
        return memoryBytes > 0 && requiredBytes(contextPositions) <= memoryBytes;
    }

    /** Decode tokens/s bound at a read bandwidth: bandwidth / bytes read per token. */
    public double rooflineTokensPerSecond(double bandwidthBytesPerSecond) {
        return bandwidthBytesPerSecond / bytesPerToken;
    }
}
