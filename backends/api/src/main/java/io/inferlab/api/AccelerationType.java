package io.inferlab.api;

/**
 * How a backend executes the model. {@link #MXFP4} means MXFP4 (GGML type 39) weights read directly
 * by a GPU kernel; the others name the compute device family.
 */
public enum AccelerationType {
    CPU,
    OPENCL,
    CUDA,
    MXFP4,
    METAL
}
