package io.inferlab.cuda.kernels;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import io.inferlab.engine.tensor.GgmlType;

/**
 * The kernel-name table: every CUDA kernel the backend launches, with the PTX file it is compiled
 * to ({@code src/main/cuda/<file>.cu} -> resource {@code io/inferlab/cuda/ptx/<file>.ptx}) and its
 * {@code extern "C"} entry point. One op per file, named by op and types; a test checks this table
 * against the entry points of the packaged PTX.
 */
public enum CudaKernel {
    MATMUL_F32("matmul_f32"),
    MATMUL_F16("matmul_f16"),
    MATMUL_Q8_0("matmul_q8_0"),
    MATMUL_Q4_0("matmul_q4_0"),
    MATMUL_MXFP4("matmul_mxfp4"),
    GET_ROWS_F32("get_rows_f32"),
    GET_ROWS_F16("get_rows_f16"),
    GET_ROWS_Q8_0("get_rows_q8_0"),
    GET_ROWS_Q4_0("get_rows_q4_0"),
    GET_ROWS_MXFP4("get_rows_mxfp4"),
    RMSNORM_F32("rmsnorm_f32"),
    ROPE_F32("rope_f32"),
    ATTENTION_F32("attention_f32"),
    SWIGLU_F32("swiglu_f32"),
    SWIGLU_OAI_F32("swiglu_oai_f32"),
    ADD_F32("add_f32"),
    ARGMAX_F32("argmax_f32"),
    ADD_BIAS_F32("add_bias_f32"),
    MOE_TOPK_F32("moe_topk_f32"),
    MATMUL_ID_F32("matmul_id_f32"),
    MATMUL_ID_F16("matmul_id_f16"),
    MATMUL_ID_Q8_0("matmul_id_q8_0"),
    MATMUL_ID_Q4_0("matmul_id_q4_0"),
    MATMUL_ID_MXFP4("matmul_id_mxfp4"),
    ADD_ID_F32("add_id_f32"),
    MOE_WEIGHTED_SUM_F32("moe_weighted_sum_f32");

    /** Where the PTX resources live on the class path. */
    public static final String RESOURCE_DIR = "io/inferlab/cuda/ptx/";

    private final String entry;

    CudaKernel(String entry) {
        this.entry = entry;
    }

    /** The {@code extern "C"} function name, also the source and PTX file's stem. */
    public String entry() {
        return entry;
    }

    /** The class-path resource holding this kernel's PTX. */
    public String resource() {
        return RESOURCE_DIR + entry + ".ptx";
    }

    /**
     * The weight types with a {@link #matmul} kernel, for messages: "F32, F16, Q4_0, Q8_0, MXFP4"
     * (in {@link GgmlType}'s order).
     */
    public static String matmulTypes() {
        return Arrays.stream(GgmlType.values()).filter(t -> matmul(t).isPresent()).map(GgmlType::name)
                .collect(Collectors.joining(", "));
    }

    /** The batched matmul (the matvec at batch 1) for weights of {@code type}, if there is one. */
    public static Optional<CudaKernel> matmul(GgmlType type) {
        return switch (type) {
            case F32 -> Optional.of(MATMUL_F32);
            case F16 -> Optional.of(MATMUL_F16);
            case Q8_0 -> Optional.of(MATMUL_Q8_0);
            case Q4_0 -> Optional.of(MATMUL_Q4_0);
            case MXFP4 -> Optional.of(MATMUL_MXFP4);
            case BF16 -> Optional.empty();
        };
    }

    /**
     * The expert matmul (GGML's mul_mat_id: each slot's expert id read from device memory) for
     * expert weights of {@code type}, if there is one.
     */
    public static Optional<CudaKernel> matmulId(GgmlType type) {
        return switch (type) {
            case F32 -> Optional.of(MATMUL_ID_F32);
            case F16 -> Optional.of(MATMUL_ID_F16);
            case Q8_0 -> Optional.of(MATMUL_ID_Q8_0);
            case Q4_0 -> Optional.of(MATMUL_ID_Q4_0);
            case MXFP4 -> Optional.of(MATMUL_ID_MXFP4);
            case BF16 -> Optional.empty();
        };
    }

    /** The embedding lookup for weights of {@code type}, if there is one. */
    public static Optional<CudaKernel> getRows(GgmlType type) {
        return switch (type) {
            case F32 -> Optional.of(GET_ROWS_F32);
            case F16 -> Optional.of(GET_ROWS_F16);
            case Q8_0 -> Optional.of(GET_ROWS_Q8_0);
            case Q4_0 -> Optional.of(GET_ROWS_Q4_0);
            case MXFP4 -> Optional.of(GET_ROWS_MXFP4);
            case BF16 -> Optional.empty();
        };
    }
}
