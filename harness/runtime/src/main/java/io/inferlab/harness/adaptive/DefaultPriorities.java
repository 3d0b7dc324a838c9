package io.inferlab.harness.adaptive;

import java.util.Map;

import io.inferlab.api.AccelerationType;

/**
 * The priorities of DESIGN.md, used when a backend has no measurement (lower wins): gpt-oss MXFP4
 * on GPU 1, GPTQ on CUDA 10, AWQ on CUDA 20, GGML on Metal 30, OpenCL 50, CPU 100. llama.cpp on
 * the CPU is a CPU-class backend placed just after our own {@code cpu} (110), so the pure-Java
 * engine is the default and llama.cpp its CPU fallback.
 */
public final class DefaultPriorities {
    public static final int MXFP4_GPU = 1;
    public static final int GPTQ_CUDA = 10;
    public static final int AWQ_CUDA = 20;
    public static final int METAL = 30;
    public static final int OPENCL = 50;
    public static final int CPU = 100;
    public static final int LLAMACPP_CPU = 110;
    /** Any other CUDA backend running GGML weights: after the quantized CUDA paths, before Metal. */
    public static final int CUDA_GGML = 25;

    private DefaultPriorities() {
    }

    /** The priority of backend {@code id} of type {@code acceleration} for a model with these tensor types. */
    public static int of(String id, AccelerationType acceleration, Map<String, Integer> tensorTypes) {
        boolean mxfp4 = tensorTypes != null && tensorTypes.containsKey("MXFP4");
        return switch (acceleration) {
            case MXFP4 -> MXFP4_GPU;
            case CUDA -> id.contains("gptq") ? GPTQ_CUDA : id.contains("awq") ? AWQ_CUDA : mxfp4 ? MXFP4_GPU : CUDA_GGML;
            case METAL -> METAL;
            case OPENCL -> OPENCL;
            case CPU -> id.equals("llamacpp") ? LLAMACPP_CPU : CPU;
        };
    }
}
