package io.inferlab.cuda.runtime;

import io.inferlab.api.UnsupportedModelException;
import io.inferlab.cuda.kernels.CudaKernel;
import io.inferlab.cuda.kernels.LaunchGeometry;
import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.tensor.GgmlType;

/**
 * The forward pass's ops as typed launches on a {@link CudaContext}: each method states the
 * kernel's contract in Java terms (float offsets are the caller's business through
 * {@link DeviceBuffer#atFloat}). All asynchronous on the context's stream.
 */
public final class CudaOps {
    private final CudaContext cx;

    public CudaOps(CudaContext cx) {
        this.cx = cx;
    }

    public CudaContext context() {
        return cx;
    }

    /** Whether the device kernels multiply weights of {@code type}. */
    public static boolean supports(GgmlType type) {
        return CudaKernel.matmul(type).isPresent() && CudaKernel.getRows(type).isPresent();
    }

    /** out[b * rows + r] = sum_c W[r][c] * x[b * cols + c] for b < batch; W of {@code type}, rows x cols. */
    public void matmul(GgmlType type, DevicePointer w, DevicePointer x, DevicePointer out, int rows, int cols, int batch) {
        cx.launch(kernelFor(CudaKernel.matmul(type).orElse(null), type), LaunchGeometry.matmul(rows, batch),
                w, x, out, rows, cols, batch);
    }

    /** out[t * cols ..] = row ids[t] of W (type {@code type}) as f32, for t < tokens. */
    public void getRows(GgmlType type, DevicePointer w, DevicePointer ids, DevicePointer out, int cols, int tokens) {
        cx.launch(kernelFor(CudaKernel.getRows(type).orElse(null), type), LaunchGeometry.perToken(tokens),
                w, ids, out, cols);
    }

    /** RMSNorm of {@code tokens} rows of {@code n} values (out may be x). */
    public void rmsnorm(DevicePointer out, DevicePointer x, DevicePointer weight, int n, float eps, int tokens) {
        cx.launch(CudaKernel.RMSNORM_F32, LaunchGeometry.perToken(tokens), out, x, weight, n, eps);
    }

    /** RoPE in place over {@code tokens} tokens of {@code heads} heads from position {@code pos0}. */
    public void rope(DevicePointer x, DevicePointer cos, DevicePointer sin, int tokens, int heads, int tokenStride,
                     int headDim, int rotDim, int pos0, Rope.Layout layout) {
        cx.launch(CudaKernel.ROPE_F32, LaunchGeometry.rope(tokens, heads, rotDim), x, cos, sin, tokenStride, headDim,
                rotDim, pos0, layout == Rope.Layout.NEOX ? 1 : 0);
    }

    /**
     * Causal attention of {@code tokens} query tokens (positions pos0..) over the cache.
     *
     * @param sinks  per-head sink logits, or null for none
     * @param window sliding window in positions, or 0 for full causal attention
     */
    public void attention(DevicePointer out, DevicePointer q, DevicePointer keys, DevicePointer values, DevicePointer sinks,
                          int heads, int kvHeads, int headDim, int pos0, int tokens, int window, float scale,
                          int contextLength) {
        cx.launch(CudaKernel.ATTENTION_F32, LaunchGeometry.attention(heads, tokens, contextLength), out, q, keys,
                values, sinks, heads, kvHeads, headDim, pos0, window, scale);
    }

    public void swiglu(DevicePointer gate, DevicePointer up, int n) {
        cx.launch(CudaKernel.SWIGLU_F32, LaunchGeometry.elementwise(n), gate, up, n);
    }

    public void swigluOai(DevicePointer gate, DevicePointer up, int n, float alpha, float limit) {
        cx.launch(CudaKernel.SWIGLU_OAI_F32, LaunchGeometry.elementwise(n), gate, up, n, alpha, limit);
    }

    /** y += x over n values. */
    public void add(DevicePointer y, DevicePointer x, int n) {
        cx.launch(CudaKernel.ADD_F32, LaunchGeometry.elementwise(n), y, x, n);
    }

    /** y[t * n + i] += bias[i] for t < tokens: a bias broadcast over a batch's rows. */
    public void addBias(DevicePointer y, DevicePointer bias, int n, int tokens) {
        cx.launch(CudaKernel.ADD_BIAS_F32, LaunchGeometry.perRow(n, tokens), y, bias, n);
    }

    /**
     * Expert selection for {@code tokens} rows of router logits ({@code experts} per token): adds
     * the bias, writes the {@code used} best experts per token to {@code ids[t * used ..]} (largest
     * first) and the softmax of their logits to {@code weights[t * used ..]}.
     */
    public void moeTopK(DevicePointer logits, DevicePointer bias, int experts, int used, DevicePointer ids,
                        DevicePointer weights, int tokens) {
        if (experts > LaunchGeometry.MAX_MOE_EXPERTS || used > LaunchGeometry.MAX_MOE_USED || used > experts) {
            throw new UnsupportedModelException("the CUDA expert selection ranks at most "
                    + LaunchGeometry.MAX_MOE_EXPERTS + " experts and selects at most " + LaunchGeometry.MAX_MOE_USED
                    + "; this model has " + experts + " experts with " + used + " used per token");
        }
        cx.launch(CudaKernel.MOE_TOPK_F32, LaunchGeometry.moeTopK(tokens), logits, bias, experts, used, ids, weights);
    }

    /**
     * The expert matmul: for each of {@code slots} slots s, {@code out[s * rows ..]} = W_{ids[s]}
     * times {@code x[(s / xSlotDiv) * cols ..]}, where {@code w} holds every expert's rows x cols
     * matrix of {@code type} back to back.
     */
    public void matmulId(GgmlType type, DevicePointer w, DevicePointer ids, DevicePointer x, DevicePointer out, int rows,
                         int cols, int slots, int xSlotDiv) {
        cx.launch(kernelFor(CudaKernel.matmulId(type).orElse(null), type), LaunchGeometry.matmulId(rows, slots),
                w, ids, x, out, rows, cols, xSlotDiv);
    }

    /** y[s * n + i] += b[ids[s] * n + i] for s < slots: each slot's expert's bias. */
    public void addId(DevicePointer y, DevicePointer b, DevicePointer ids, int n, int slots) {
        cx.launch(CudaKernel.ADD_ID_F32, LaunchGeometry.perRow(n, slots), y, b, ids, n);
    }

    /** y[t * n + i] += sum_j weights[t * k + j] * e[(t * k + j) * n + i] for t < tokens. */
    public void moeWeightedSum(DevicePointer y, DevicePointer e, DevicePointer weights, int n, int k, int tokens) {
        cx.launch(CudaKernel.MOE_WEIGHTED_SUM_F32, LaunchGeometry.perRow(n, tokens), y, e, weights, n, k);
    }

    /** result[0] = the index of the largest of x[0..n). */
    public void argmax(DevicePointer x, int n, DevicePointer result) {
        cx.launch(CudaKernel.ARGMAX_F32, LaunchGeometry.argmax(), x, n, result);
    }

    private static CudaKernel kernelFor(CudaKernel k, GgmlType type) {
        if (k == null) {
            throw new UnsupportedModelException("the CUDA backend has no kernel for " + type + " weights (supported: "
                    + CudaKernel.matmulTypes() + ")");
        }
        return k;
    }
}
