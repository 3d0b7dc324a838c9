package io.inferlab.engine.model;

import java.util.Arrays;

import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.tensor.Tensor;

/**
 * gpt-oss's feed-forward block: a router picks {@code expertsUsed} of the layer's experts per
 * token and their outputs are mixed, as llama.cpp's build_moe_ffn does it for gpt-oss
 * (LLM_FFN_SWIGLU_OAI_MOE, LLAMA_EXPERT_GATING_FUNC_TYPE_SOFTMAX_WEIGHT):
 * <ol>
 *   <li>router logits = W_r x + b_r; the top-k logits are selected, and their softmax (over the
 *       selected k only) gives the mixing weights;</li>
 *   <li>each selected expert computes down(swiglu_clamped(gate x + b_g, up x + b_u)) + b_d;</li>
 *   <li>the output is the weighted sum of the selected experts' outputs.</li>
 * </ol>
 * Tokens of a batch are grouped by expert, so each selected expert's weights are read once per
 * batch, and experts no token selected are not read at all. All buffers are allocated here once.
 */
final class MixtureOfExperts {
    /** The SwiGLU variant's sigmoid scale and clamp (gpt-oss's swiglu_limit). */
    static final float ALPHA = 1.702f;
    static final float LIMIT = 7f;

    private final GptOssConfig c;
    private final Kernels k;
    private final float[] routerLogits;
    private final int[] selected;
    private final float[] mix;
    /** Per expert: how many tokens of the batch chose it, which ones, and with what weight. */
    private final int[] count;
    private final int[][] tokensOf;
    private final float[][] weightsOf;
    private final float[] gathered;
    private final float[] gate;
    private final float[] up;
    private final float[] down;
    /** The current expert's gate and up, and their outputs, for {@link Kernels#matmuls}. */
    private final Tensor[] gateUp = new Tensor[2];
    private final float[][] gateUpOut;

    MixtureOfExperts(GptOssConfig c, Kernels k, int maxBatch) {
        this.c = c;
        this.k = k;
        this.routerLogits = new float[maxBatch * c.experts()];
        this.selected = new int[maxBatch * c.expertsUsed()];
        this.mix = new float[maxBatch * c.expertsUsed()];
        this.count = new int[c.experts()];
        this.tokensOf = new int[c.experts()][maxBatch];
        this.weightsOf = new float[c.experts()][maxBatch];
        this.gathered = new float[maxBatch * c.dim()];
        this.gate = new float[maxBatch * c.expertFfnDim()];
        this.up = new float[maxBatch * c.expertFfnDim()];
        this.down = new float[maxBatch * c.dim()];
        this.gateUpOut = new float[][] {gate, up};
    }

    /** {@code out[t * dim ..]} = the block's output for the normalized rows {@code in[t * dim ..]}, t < n. */
    void apply(GptOssWeights.Layer layer, float[] in, float[] out, int n) {
        int dim = c.dim();
        int experts = c.experts();
        int used = c.expertsUsed();
        int ffn = c.expertFfnDim();
        k.matmul(layer.router(), in, routerLogits, n);
        Arrays.fill(count, 0);
        for (int t = 0; t < n; t++) {
            k.axpy(1f, layer.routerBias(), 0, routerLogits, t * experts, experts);
            topK(routerLogits, t * experts, experts, used, selected, t * used);
            for (int j = 0; j < used; j++) {
                mix[t * used + j] = routerLogits[t * experts + selected[t * used + j]];
            }
            k.softmax(mix, t * used, used);
            for (int j = 0; j < used; j++) {
                int e = selected[t * used + j];
                tokensOf[e][count[e]] = t;
                weightsOf[e][count[e]++] = mix[t * used + j];
            }
        }
        Arrays.fill(out, 0, n * dim, 0f);
        for (int e = 0; e < experts; e++) {
            int m = count[e];
            if (m == 0) {
                continue;
            }
            for (int i = 0; i < m; i++) {
                System.arraycopy(in, tokensOf[e][i] * dim, gathered, i * dim, dim);
            }
            gateUp[0] = layer.gateExperts()[e];
            gateUp[1] = layer.upExperts()[e];
            k.matmuls(gateUp, gathered, gateUpOut, m);
            for (int i = 0; i < m; i++) {
                k.axpy(1f, layer.gateBias(), e * ffn, gate, i * ffn, ffn);
                k.axpy(1f, layer.upBias(), e * ffn, up, i * ffn, ffn);
            }
            k.swigluClamped(gate, up, m * ffn, ALPHA, LIMIT);
            k.matmul(layer.downExperts()[e], gate, down, m);
            for (int i = 0; i < m; i++) {
                k.axpy(1f, layer.downBias(), e * dim, down, i * dim, dim);
                k.axpy(weightsOf[e][i], down, i * dim, out, tokensOf[e][i] * dim, dim);
            }
        }
    }

    /**
     * The indices of the {@code used} largest of {@code logits[off .. off + n)}, largest first (the
     * lower index first among equals), into {@code out[outOff ..]}.
     */
    static void topK(float[] logits, int off, int n, int used, int[] out, int outOff) {
        for (int j = 0; j < used; j++) {
            int best = -1;
            for (int e = 0; e < n; e++) {
                if (isTaken(out, outOff, j, e)) {
                    continue;
                }
                if (best < 0 || logits[off + e] > logits[off + best]) {
                    best = e;
                }
            }
            out[outOff + j] = best;
        }
    }

    private static boolean isTaken(int[] out, int outOff, int taken, int e) {
        for (int i = 0; i < taken; i++) {
            if (out[outOff + i] == e) {
                return true;
            }
        }
        return false;
    }
}
