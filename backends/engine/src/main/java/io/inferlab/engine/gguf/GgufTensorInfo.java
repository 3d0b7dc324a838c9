package io.inferlab.engine.gguf;

import java.util.Arrays;

import io.inferlab.engine.tensor.GgmlType;

/**
 * A tensor's entry in the GGUF header: name, dimensions (GGML order, innermost first), type and
 * the offset of its data relative to the start of the data section.
 */
public record GgufTensorInfo(String name, long[] shape, GgmlType type, long offset) {
    public GgufTensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long byteSize() {
        return type.bytesFor(elementCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && type == t.type && offset == t.offset;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "GgufTensorInfo[" + name + ", " + type + ", " + Arrays.toString(shape) + ", offset=" + offset + "]";
    }
}
