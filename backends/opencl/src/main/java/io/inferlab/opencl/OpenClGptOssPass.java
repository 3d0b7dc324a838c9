package io.inferlab.opencl;

import static io.inferlab.opencl.MemoryPlan.floats;

import java.util.ArrayList;
import java.util.List;

import org.jocl.cl_mem;

import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.model.GptOssConfig;
import io.inferlab.engine.model.GptOssModel;
import io.inferlab.engine.model.GptOssWeights;
import io.inferlab.engine.tensor.Tensor;

/**
 * The gpt-oss forward pass on an OpenCL device, op for op the engine's {@code GptOssTransformer}
 * and {@code MixtureOfExperts} (llama.cpp's llm_build_openai_moe_iswa): attention with biases,
 * a sink logit per head and a sliding window on the layers the config names, YaRN RoPE in the
 * NEOX layout (the engine's own angles through {@link RopeTable}), and a mixture of experts.
 *
 * <p>Weights are uploaded once in their GGML types; every expert of a layer's 3-D expert tensors
 * gets a buffer of its own (the file's bytes of that expert), so the matvec/matmul kernels of
 * any type run on it unchanged and a token reads only the experts it is routed to (see
 * {@link OpenClMixtureOfExperts}: per layer only the router logits come back to the host). The KV
 * cache and all activations stay on the device. Not thread-safe.
 */
final class OpenClGptOssPass extends OpenClDecoderPass {
    /** One block's weights (biases, norms and sinks as float buffers) and its KV cache. */
    private record Layer(cl_mem attnNorm, DeviceTensor wq, cl_mem bq, DeviceTensor wk, cl_mem bk, DeviceTensor wv,
                         cl_mem bv, DeviceTensor wo, cl_mem bo, cl_mem sinks, cl_mem postAttnNorm,
                         OpenClMixtureOfExperts.Experts experts, cl_mem keys, cl_mem values, int window) {
    }

    private final GptOssConfig c;
    private final List<Layer> layers;
    private final cl_mem ffnOut;
    private final OpenClMixtureOfExperts moe;

    /**
     * Uploads {@code model} with a KV cache of {@code contextLength} positions, after checking the
     * whole memory plan against {@code limits}; on any failure everything created is released.
     *
     * @param failAtAllocation test hook: the n-th buffer allocation fails as on a full device (0 = never)
     * @throws UnsupportedModelException when the model does not fit, naming the sizes
     */
    static OpenClGptOssPass load(GptOssModel model, DeviceContext context, int contextLength, int maxBatch,
                                 DeviceLimits limits, int failAtAllocation) {
        return DeviceArena.build(context, failAtAllocation, "loading " + model.file().path() + " on "
                + context.device().name(), arena -> new OpenClGptOssPass(model,
                        new Load(arena, model.file().path(), limits, contextLength, maxBatch)));
    }

    private OpenClGptOssPass(GptOssModel model, Load load) {
        GptOssConfig c = model.config();
        GptOssWeights w = model.weights();
        OpenClOps ops = new OpenClOps(load.arena());
        ops.prepareGptOss(); // with the common kernels, before any memory is spent
        super(load, ops, c.shape(), c.rope(load.contextLength()),
                new Weights(w.tokenEmbedding(), w.output(), w.outputNorm(), w.matrices()), plan(c, load.maxBatch()));
        this.c = c;
        try {
            List<Layer> ls = new ArrayList<>(c.layers());
            for (int l = 0; l < c.layers(); l++) {
                GptOssWeights.Layer lw = w.layers().get(l);
                String p = "blk." + l + ".";
                ls.add(new Layer(arena.upload(p + "attn_norm.weight", lw.attnNorm()),
                        arena.upload(lw.wq(), uploaded), arena.upload(p + "attn_q.bias", lw.bq()),
                        arena.upload(lw.wk(), uploaded), arena.upload(p + "attn_k.bias", lw.bk()),
                        arena.upload(lw.wv(), uploaded), arena.upload(p + "attn_v.bias", lw.bv()),
                        arena.upload(lw.wo(), uploaded), arena.upload(p + "attn_output.bias", lw.bo()),
                        arena.upload(p + "attn_sinks.weight", lw.sinks()),
                        arena.upload(p + "post_attention_norm.weight", lw.postAttnNorm()),
                        new OpenClMixtureOfExperts.Experts(
                                arena.upload(lw.router(), uploaded), arena.upload(p + "ffn_gate_inp.bias", lw.routerBias()),
                                uploadExperts(lw.gateExperts()), arena.upload(p + "ffn_gate_exps.bias", lw.gateBias()),
                                uploadExperts(lw.upExperts()), arena.upload(p + "ffn_up_exps.bias", lw.upBias()),
                                uploadExperts(lw.downExperts()),
                                arena.upload(p + "ffn_down_exps.bias", lw.downBias())),
                        kvCache(l, "key"), kvCache(l, "value"), c.isSliding(l) ? c.slidingWindow() : 0));
            }
            this.layers = List.copyOf(ls);
            this.moe = new OpenClMixtureOfExperts(c, arena, ops, maxBatch);
            this.ffnOut = arena.buffer("moe out", floats(maxBatch, c.dim()));
        } catch (OpenClException e) {
            throw outOfMemory(e);
        }
    }

    /** The buffers this class allocates beyond {@link OpenClDecoderPass}'s, one entry each, with the same sizes. */
    private static MemoryPlan plan(GptOssConfig c, int batch) {
        MemoryPlan plan = new MemoryPlan();
        for (int l = 0; l < c.layers(); l++) {
            String p = "blk." + l + ".";
            plan.add(p + "attn_norm.weight", MemoryPlan.Kind.WEIGHTS, floats(1, c.dim()));
            plan.add(p + "attn_q.bias", MemoryPlan.Kind.WEIGHTS, floats(1, c.qDim()));
            plan.add(p + "attn_k.bias", MemoryPlan.Kind.WEIGHTS, floats(1, c.kvDim()));
            plan.add(p + "attn_v.bias", MemoryPlan.Kind.WEIGHTS, floats(1, c.kvDim()));
            plan.add(p + "attn_output.bias", MemoryPlan.Kind.WEIGHTS, floats(1, c.dim()));
            plan.add(p + "attn_sinks.weight", MemoryPlan.Kind.WEIGHTS, floats(1, c.heads()));
            plan.add(p + "post_attention_norm.weight", MemoryPlan.Kind.WEIGHTS, floats(1, c.dim()));
            plan.add(p + "ffn_gate_inp.bias", MemoryPlan.Kind.WEIGHTS, floats(1, c.experts()));
            plan.add(p + "ffn_gate_exps.bias", MemoryPlan.Kind.WEIGHTS, floats(c.experts(), c.expertFfnDim()));
            plan.add(p + "ffn_up_exps.bias", MemoryPlan.Kind.WEIGHTS, floats(c.experts(), c.expertFfnDim()));
            plan.add(p + "ffn_down_exps.bias", MemoryPlan.Kind.WEIGHTS, floats(c.experts(), c.dim()));
        }
        OpenClMixtureOfExperts.plan(plan, c, batch);
        plan.add("the moe output", MemoryPlan.Kind.WORK, floats(batch, c.dim()));
        return plan;
    }

    private DeviceTensor[] uploadExperts(Tensor[] experts) {
        DeviceTensor[] out = new DeviceTensor[experts.length];
        for (int e = 0; e < experts.length; e++) {
            out[e] = arena.upload(experts[e], uploaded);
        }
        return out;
    }

    /** The blocks over {@code n} embedded tokens at positions {@code pos ..}, in place on {@code x}. */
    @Override
    void blocks(int n, int pos) {
        int dim = c.dim();
        int qDim = c.qDim();
        int kvDim = c.kvDim();
        int kvOff = pos * kvDim;
        for (Layer l : layers) {
            // Attention: q, and K and V straight into the cache at their positions, each with its bias.
            ops.rmsnorm(x, 0, l.attnNorm(), dim, c.rmsEps(), xb, 0, n);
            ops.matmul(l.wq(), xb, 0, q, 0, n);
            ops.addRows(q, 0, qDim, l.bq(), 0, qDim, n);
            ops.matmul(l.wk(), xb, 0, l.keys(), kvOff, n);
            ops.addRows(l.keys(), kvOff, kvDim, l.bk(), 0, kvDim, n);
            ops.matmul(l.wv(), xb, 0, l.values(), kvOff, n);
            ops.addRows(l.values(), kvOff, kvDim, l.bv(), 0, kvDim, n);
            ops.rope(Rope.Layout.NEOX, q, 0, qDim, c.heads(), c.headDim(), c.ropeDim(), pos, n, ropeCos, ropeSin);
            ops.rope(Rope.Layout.NEOX, l.keys(), kvOff, kvDim, c.kvHeads(), c.headDim(), c.ropeDim(), pos, n, ropeCos,
                    ropeSin);
            ops.attentionSinks(q, l.keys(), l.values(), l.sinks(), scores, att, c.heads(), c.kvHeads(), c.headDim(),
                    contextLength, pos, n, l.window(), attnScale);
            ops.matmul(l.wo(), att, 0, xb, 0, n);
            ops.addRows(xb, 0, dim, l.bo(), 0, dim, n);
            ops.add(x, 0, xb, 0, n * dim);
            // Mixture of experts on the post-attention norm.
            ops.rmsnorm(x, 0, l.postAttnNorm(), dim, c.rmsEps(), xb, 0, n);
            moe.apply(l.experts(), xb, ffnOut, n);
            ops.add(x, 0, ffnOut, 0, n * dim);
        }
    }
}
