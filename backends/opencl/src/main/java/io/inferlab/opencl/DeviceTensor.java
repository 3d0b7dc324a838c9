package io.inferlab.opencl;

import java.util.Objects;

import org.jocl.cl_mem;

import io.inferlab.engine.tensor.GgmlType;

/** A weight matrix on the device: the file's bytes of tensor {@code name}, {@code rows} rows of {@code cols} values. */
record DeviceTensor(String name, GgmlType type, int rows, int cols, cl_mem buffer) {
    DeviceTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(buffer, "buffer");
    }
}
