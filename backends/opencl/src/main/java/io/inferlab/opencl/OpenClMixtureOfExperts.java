package io.inferlab.opencl;

import static io.inferlab.opencl.MemoryPlan.floats;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.jocl.cl_mem;

import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.model.GptOssConfig;

/**
 * gpt-oss's feed-forward block on the device, as the engine's MixtureOfExperts (llama.cpp's
 * build_moe_ffn for gpt-oss): router logits = W_r x + b_r on the device; only they come back
 * (tokens x experts floats), and the host picks each token's top k and the softmax of their
 * logits (the engine's exact rule: largest first, the lower index among equals); the token lists
 * and weights go back to the device, which then, per selected expert, gathers its tokens, runs
 * gate and up (with biases), the clamped SwiGLU and down, and adds the weighted outputs (with
 * the down bias) into the block's output. Experts no token chose are not read. The buffers are
 * allocated once, for batches of up to {@code maxBatch} tokens. Not thread-safe.
 */
final class OpenClMixtureOfExperts {
    /** The SwiGLU variant's sigmoid scale and clamp: gpt-oss's values, as the engine's MixtureOfExperts. */
    static final float SWIGLU_ALPHA = 1.702f;
    static final float SWIGLU_LIMIT = 7f;

    /**
     * One layer's experts on the device: the router, and per expert its own buffer of each
     * projection (the file's bytes of that expert); biases per expert at {@code e * width}.
     */
    record Experts(DeviceTensor router, cl_mem routerBias, DeviceTensor[] gate, cl_mem gateBias, DeviceTensor[] up,
                   cl_mem upBias, DeviceTensor[] down, cl_mem downBias) {
    }

    private final GptOssConfig c;
    private final OpenClOps ops;
    private final ScalarKernels host = new ScalarKernels();
    private final int maxBatch;

    private final cl_mem routerLogits;
    /** Per expert e, the batch rows routed to it ({@code [e * maxBatch + i]}) and their mixing weights. */
    private final cl_mem expertRows;
    private final cl_mem expertWeights;
    private final cl_mem gathered;
    private final cl_mem gate;
    private final cl_mem up;
    private final cl_mem down;

    /** Direct memory for the asynchronous writes (see {@link OpenClOps#writeAsync}). */
    private final ByteBuffer hostRows;
    private final ByteBuffer hostWeights;
    private final float[] hostRouter;
    private final int[] selected;
    private final float[] mix;
    private final int[] count;

    OpenClMixtureOfExperts(GptOssConfig c, DeviceArena arena, OpenClOps ops, int maxBatch) {
        this.c = c;
        this.ops = ops;
        this.maxBatch = maxBatch;
        int experts = c.experts();
        this.routerLogits = arena.buffer("router logits", floats(maxBatch, experts));
        this.expertRows = arena.buffer("expert rows", (long) experts * maxBatch * Integer.BYTES);
        this.expertWeights = arena.buffer("expert weights", floats(experts, maxBatch));
        this.gathered = arena.buffer("expert input", floats(maxBatch, c.dim()));
        this.gate = arena.buffer("expert gate", floats(maxBatch, c.expertFfnDim()));
        this.up = arena.buffer("expert up", floats(maxBatch, c.expertFfnDim()));
        this.down = arena.buffer("expert down", floats(maxBatch, c.dim()));
        this.hostRows = ByteBuffer.allocateDirect(experts * maxBatch * Integer.BYTES).order(ByteOrder.nativeOrder());
        this.hostWeights = ByteBuffer.allocateDirect(experts * maxBatch * Float.BYTES).order(ByteOrder.nativeOrder());
        this.hostRouter = new float[maxBatch * experts];
        this.selected = new int[c.expertsUsed()];
        this.mix = new float[c.expertsUsed()];
        this.count = new int[experts];
    }

    /** The work buffers the constructor allocates, for the memory plan. */
    static void plan(MemoryPlan plan, GptOssConfig c, int batch) {
        plan.add("the router logits", MemoryPlan.Kind.WORK, floats(batch, c.experts()));
        plan.add("the expert rows", MemoryPlan.Kind.WORK, (long) c.experts() * batch * Integer.BYTES);
        plan.add("the expert weights", MemoryPlan.Kind.WORK, floats(c.experts(), batch));
        plan.add("the expert input", MemoryPlan.Kind.WORK, floats(batch, c.dim()));
        plan.add("the expert gate", MemoryPlan.Kind.WORK, floats(batch, c.expertFfnDim()));
        plan.add("the expert up", MemoryPlan.Kind.WORK, floats(batch, c.expertFfnDim()));
        plan.add("the expert down", MemoryPlan.Kind.WORK, floats(batch, c.dim()));
    }

    /** {@code out[t * dim ..]} = the block's output for the normalized rows {@code in[t * dim ..]}, t < n. */
    void apply(Experts l, cl_mem in, cl_mem out, int n) {
        int dim = c.dim();
        int experts = c.experts();
        int used = c.expertsUsed();
        int ffn = c.expertFfnDim();
        ops.matmul(l.router(), in, 0, routerLogits, 0, n);
        ops.addRows(routerLogits, 0, experts, l.routerBias(), 0, experts, n);
        // The blocking read also drains the queue, so the previous call's writes of hostRows and
        // hostWeights have completed and both may change.
        ops.readFloats(routerLogits, 0, hostRouter, n * experts);
        Arrays.fill(count, 0);
        for (int t = 0; t < n; t++) {
            topK(hostRouter, t * experts, experts, used, selected);
            for (int j = 0; j < used; j++) {
                mix[j] = hostRouter[t * experts + selected[j]];
            }
            host.softmax(mix, 0, used);
            for (int j = 0; j < used; j++) {
                int e = selected[j];
                int slot = e * maxBatch + count[e]++;
                hostRows.putInt(slot * Integer.BYTES, t);
                hostWeights.putFloat(slot * Float.BYTES, mix[j]);
            }
        }
        ops.writeAsync(expertRows, hostRows, (long) experts * maxBatch * Integer.BYTES);
        ops.writeAsync(expertWeights, hostWeights, (long) experts * maxBatch * Float.BYTES);
        ops.zero(out, n * dim);
        for (int e = 0; e < experts; e++) {
            int m = count[e];
            if (m == 0) {
                continue; // an expert no token chose is not read
            }
            int rowsOff = e * maxBatch;
            ops.moeGather(in, expertRows, rowsOff, dim, m, gathered);
            ops.matmul(l.gate()[e], gathered, 0, gate, 0, m);
            ops.addRows(gate, 0, ffn, l.gateBias(), e * ffn, ffn, m);
            ops.matmul(l.up()[e], gathered, 0, up, 0, m);
            ops.addRows(up, 0, ffn, l.upBias(), e * ffn, ffn, m);
            ops.swigluOai(gate, up, m * ffn, SWIGLU_ALPHA, SWIGLU_LIMIT);
            ops.matmul(l.down()[e], gate, 0, down, 0, m);
            ops.moeScatter(down, l.downBias(), e * dim, expertRows, expertWeights, rowsOff, dim, m, out);
        }
    }

    /**
     * The indices of the {@code used} largest of {@code logits[off .. off + n)}, largest first, the
     * lower index first among equals (the engine's rule, so routing ties break alike), into {@code out}.
     */
    static void topK(float[] logits, int off, int n, int used, int[] out) {
        for (int j = 0; j < used; j++) {
            int best = -1;
            for (int e = 0; e < n; e++) {
                if (taken(out, j, e)) {
                    continue;
                }
                if (best < 0 || logits[off + e] > logits[off + best]) {
                    best = e;
                }
            }
            out[j] = best;
        }
    }

    private static boolean taken(int[] out, int taken, int e) {
        for (int i = 0; i < taken; i++) {
            if (out[i] == e) {
                return true;
            }
        }
        return false;
    }
}
