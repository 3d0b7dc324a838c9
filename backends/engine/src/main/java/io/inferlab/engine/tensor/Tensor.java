package io.inferlab.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor over memory (usually a slice of a memory-mapped GGUF file). {@code shape} is in
 * GGML order: {@code shape[0]} is the innermost (contiguous) dimension, so a 2-D weight has
 * {@code shape[1]} rows of {@code shape[0]} columns.
 */
public record Tensor(String name, GgmlType type, long[] shape, MemorySegment data) {
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        if (shape.length == 0 || shape.length > 4) {
            throw new IllegalArgumentException(name + ": a tensor has 1 to 4 dimensions, got " + shape.length);
        }
        long bytes = type.bytesFor(elementCount(shape));
        if (data.byteSize() != bytes) {
            throw new IllegalArgumentException(name + ": " + type + " " + Arrays.toString(shape) + " needs " + bytes
                    + " bytes, got " + data.byteSize());
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Length of the innermost dimension (columns of a matrix). */
    public int cols() {
        return Math.toIntExact(shape[0]);
    }

    /** Number of rows: product of all dimensions but the innermost. */
    public int rows() {
        return Math.toIntExact(elementCount(shape) / shape[0]);
    }

    public long elementCount() {
        return elementCount(shape);
    }

    /** Bytes of one row. */
    public long rowBytes() {
        return type.bytesFor(shape[0]);
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && type == t.type && Arrays.equals(shape, t.shape)
                && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ", " + type + ", " + Arrays.toString(shape) + "]";
    }
}
