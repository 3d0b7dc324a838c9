package io.inferlab.cuda.runtime;

import java.util.Objects;

/**
 * One device allocation: what it holds (for messages and the memory report), its address and size.
 *
 * @param what  e.g. "blk.3.attn_q.weight" or "KV cache (keys)"
 */
public record DeviceBuffer(String what, DevicePointer pointer, long bytes) {
    public DeviceBuffer {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(pointer, "pointer");
    }

    /** The address {@code byteOffset} bytes in, checked against the size. */
    public DevicePointer at(long byteOffset) {
        if (byteOffset < 0 || byteOffset > bytes) {
            throw new IndexOutOfBoundsException("offset " + byteOffset + " outside " + what + " (" + bytes + " bytes)");
        }
        return pointer.withByteOffset(byteOffset);
    }

    /** The address of float {@code index}. */
    public DevicePointer atFloat(long index) {
        return at(index * Float.BYTES);
    }
}
