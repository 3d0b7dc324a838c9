package io.inferlab.opencl;

import static io.inferlab.opencl.MemoryPlan.floats;

import java.util.ArrayList;
import java.util.List;

import org.jocl.cl_mem;

import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.model.LlamaConfig;
import io.inferlab.engine.model.LlamaModel;
import io.inferlab.engine.model.LlamaWeights;

/**
 * The llama forward pass on an OpenCL device, op for op the engine's {@code Transformer}: the
 * weights are uploaded once at load in their GGML types (quantized blocks stay quantized), the KV
 * cache and every activation live on the device, and per batch only the token ids go in and the
 * logits (or, for greedy decoding, the argmax) come out. Tokens go through in batches of up to
 * {@link #maxBatch()}: a prompt in a few batched passes (the tiled matmul kernels), decode as a
 * batch of one (the matvec kernels). Not thread-safe.
 */
final class OpenClLlamaPass extends OpenClDecoderPass {
    /** One block's weights and its KV cache. */
    private record Layer(cl_mem attnNorm, DeviceTensor wq, DeviceTensor wk, DeviceTensor wv, DeviceTensor wo,
                         cl_mem ffnNorm, DeviceTensor gate, DeviceTensor up, DeviceTensor down, cl_mem keys,
                         cl_mem values) {
    }

    private final LlamaConfig c;
    private final List<Layer> layers;
    private final cl_mem hb;
    private final cl_mem hb2;

    /**
     * Uploads {@code model} to the device of {@code context} with a KV cache of
     * {@code contextLength} positions. Checks the whole memory plan against {@code limits} first;
     * on any failure every object created so far is released before the exception propagates.
     *
     * @param failAtAllocation test hook: the n-th buffer allocation fails as on a full device (0 = never)
     * @throws UnsupportedModelException when the model does not fit, naming the sizes
     */
    static OpenClLlamaPass load(LlamaModel model, DeviceContext context, int contextLength, int maxBatch,
                                DeviceLimits limits, int failAtAllocation) {
        return DeviceArena.build(context, failAtAllocation, "loading " + model.file().path() + " on "
                + context.device().name(), arena -> new OpenClLlamaPass(model,
                        new Load(arena, model.file().path(), limits, contextLength, maxBatch)));
    }

    private OpenClLlamaPass(LlamaModel model, Load load) {
        LlamaConfig c = model.config();
        LlamaWeights w = model.weights();
        super(load, new OpenClOps(load.arena()), c.shape(), model.rope(load.contextLength()),
                new Weights(w.tokenEmbedding(), w.output(), w.outputNorm(), w.matrices()),
                plan(c, load.maxBatch()));
        this.c = c;
        try {
            List<Layer> ls = new ArrayList<>(c.layers());
            for (int l = 0; l < c.layers(); l++) {
                LlamaWeights.Layer lw = w.layers().get(l);
                String p = "blk." + l + ".";
                ls.add(new Layer(arena.upload(p + "attn_norm.weight", lw.attnNorm()), arena.upload(lw.wq(), uploaded),
                        arena.upload(lw.wk(), uploaded), arena.upload(lw.wv(), uploaded), arena.upload(lw.wo(), uploaded),
                        arena.upload(p + "ffn_norm.weight", lw.ffnNorm()), arena.upload(lw.ffnGate(), uploaded),
                        arena.upload(lw.ffnUp(), uploaded), arena.upload(lw.ffnDown(), uploaded),
                        kvCache(l, "key"), kvCache(l, "value")));
            }
            this.layers = List.copyOf(ls);
            this.hb = arena.buffer("ffn gate", floats(maxBatch, c.ffnDim()));
            this.hb2 = arena.buffer("ffn up", floats(maxBatch, c.ffnDim()));
        } catch (OpenClException e) {
            throw outOfMemory(e);
        }
    }

    /** The buffers this class allocates beyond {@link OpenClDecoderPass}'s, one entry each, with the same sizes. */
    private static MemoryPlan plan(LlamaConfig c, int batch) {
        MemoryPlan plan = new MemoryPlan();
        for (int l = 0; l < c.layers(); l++) {
            plan.add("blk." + l + ".attn_norm.weight", MemoryPlan.Kind.WEIGHTS, floats(1, c.dim()));
            plan.add("blk." + l + ".ffn_norm.weight", MemoryPlan.Kind.WEIGHTS, floats(1, c.dim()));
        }
        plan.add("the ffn gate", MemoryPlan.Kind.WORK, floats(batch, c.ffnDim()));
        plan.add("the ffn up", MemoryPlan.Kind.WORK, floats(batch, c.ffnDim()));
        return plan;
    }

    /** The transformer blocks over {@code n} embedded tokens at positions {@code pos ..}, in place on {@code x}. */
    @Override
    void blocks(int n, int pos) {
        int dim = c.dim();
        int kvOff = pos * c.kvDim();
        for (Layer l : layers) {
            // Attention block: K and V go straight into the cache at their positions.
            ops.rmsnorm(x, 0, l.attnNorm(), dim, c.rmsEps(), xb, 0, n);
            ops.matmul(l.wq(), xb, 0, q, 0, n);
            ops.matmul(l.wk(), xb, 0, l.keys(), kvOff, n);
            ops.matmul(l.wv(), xb, 0, l.values(), kvOff, n);
            ops.rope(c.ropeLayout(), q, 0, c.qDim(), c.heads(), c.headDim(), c.ropeDim(), pos, n, ropeCos, ropeSin);
            ops.rope(c.ropeLayout(), l.keys(), kvOff, c.kvDim(), c.kvHeads(), c.headDim(), c.ropeDim(), pos, n, ropeCos,
                    ropeSin);
            ops.attention(q, l.keys(), l.values(), scores, att, c.heads(), c.kvHeads(), c.headDim(), contextLength, pos, n,
                    attnScale);
            ops.matmul(l.wo(), att, 0, xb, 0, n);
            ops.add(x, 0, xb, 0, n * dim);
            // Feed-forward block (SwiGLU).
            ops.rmsnorm(x, 0, l.ffnNorm(), dim, c.rmsEps(), xb, 0, n);
            ops.matmul(l.gate(), xb, 0, hb, 0, n);
            ops.matmul(l.up(), xb, 0, hb2, 0, n);
            ops.swiglu(hb, hb2, n * c.ffnDim());
            ops.matmul(l.down(), hb, 0, xb, 0, n);
            ops.add(x, 0, xb, 0, n * dim);
        }
    }
}
