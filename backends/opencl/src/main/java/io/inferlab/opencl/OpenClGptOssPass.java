package io.inferlab.opencl;

import static io.inferlab.opencl.MemoryPlan.floats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import org.jocl.cl_mem;

import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.model.GptOssConfig;
import io.inferlab.engine.model.GptOssModel;
import io.inferlab.engine.model.GptOssWeights;
import io.inferlab.engine.runtime.DeviceForwardPass;
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
final class OpenClGptOssPass implements DeviceForwardPass {
    /** One block's weights (biases, norms and sinks as float buffers) and its KV cache. */
    private record Layer(cl_mem attnNorm, DeviceTensor wq, cl_mem bq, DeviceTensor wk, cl_mem bk, DeviceTensor wv,
                         cl_mem bv, DeviceTensor wo, cl_mem bo, cl_mem sinks, cl_mem postAttnNorm,
                         OpenClMixtureOfExperts.Experts experts, cl_mem keys, cl_mem values, int window) {
    }

    private final GptOssConfig c;
    private final DeviceArena arena;
    private final OpenClOps ops;
    private final int contextLength;
    private final int maxBatch;
    private final float attnScale;
    private final String description;

    private final List<Layer> layers;
    private final cl_mem ropeCos;
    private final cl_mem ropeSin;
    private final cl_mem x;
    private final cl_mem xb;
    private final cl_mem q;
    private final cl_mem att;
    private final cl_mem scores;
    private final cl_mem ffnOut;
    private final OpenClMixtureOfExperts moe;

    private final TokensAndLogits io;

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
                + context.device().name(), arena -> new OpenClGptOssPass(model, arena, contextLength, maxBatch, limits));
    }

    private OpenClGptOssPass(GptOssModel model, DeviceArena arena, int contextLength, int maxBatch, DeviceLimits limits) {
        this.c = model.config();
        this.arena = arena;
        this.ops = new OpenClOps(arena);
        this.contextLength = contextLength;
        this.maxBatch = maxBatch;
        this.attnScale = (float) (1.0 / Math.sqrt(c.headDim()));
        GptOssWeights w = model.weights();
        OpenClDevice device = arena.context().device();
        Path file = model.file().path();

        // Kernels first: a kernel that does not build fails here, before any memory is spent.
        for (Tensor t : w.matrices()) {
            ops.prepare(t.type());
        }
        ops.prepareRows(w.tokenEmbedding().type());
        ops.prepareCommon(Rope.Layout.NEOX);
        ops.prepareGptOss();

        MemoryPlan plan = plan(w, contextLength, maxBatch);
        plan.check(limits, device.name(), file, contextLength);
        try {
            Map<Tensor, DeviceTensor> uploaded = new IdentityHashMap<>();
            DeviceTensor embedding = arena.upload(w.tokenEmbedding(), uploaded);
            DeviceTensor output = arena.upload(w.output(), uploaded);
            cl_mem outputNorm = arena.upload("output_norm.weight", w.outputNorm());
            List<Layer> ls = new ArrayList<>(c.layers());
            long cacheBytes = floats(contextLength, c.kvDim());
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
                                uploadExperts(lw.gateExperts(), uploaded), arena.upload(p + "ffn_gate_exps.bias", lw.gateBias()),
                                uploadExperts(lw.upExperts(), uploaded), arena.upload(p + "ffn_up_exps.bias", lw.upBias()),
                                uploadExperts(lw.downExperts(), uploaded),
                                arena.upload(p + "ffn_down_exps.bias", lw.downBias())),
                        arena.buffer(p + "key cache", cacheBytes), arena.buffer(p + "value cache", cacheBytes),
                        c.isSliding(l) ? c.slidingWindow() : 0));
            }
            this.layers = List.copyOf(ls);
            Rope rope = new Rope(Rope.Layout.NEOX, c.headDim(), c.ropeDim(), contextLength, c.ropeBase(), c.ropeScale(),
                    null, c.yarn());
            RopeTable table = RopeTable.of(rope, c.headDim(), c.ropeDim(), contextLength);
            this.ropeCos = arena.upload("rope cos", table.cos());
            this.ropeSin = arena.upload("rope sin", table.sin());
            cl_mem tokens = arena.buffer("token ids", (long) maxBatch * Integer.BYTES);
            this.x = arena.buffer("x", floats(maxBatch, c.dim()));
            this.xb = arena.buffer("xb", floats(maxBatch, c.dim()));
            this.q = arena.buffer("q", floats(maxBatch, c.qDim()));
            this.att = arena.buffer("attention out", floats(maxBatch, c.qDim()));
            this.scores = arena.buffer("attention scores", floats((long) maxBatch * c.heads(), contextLength));
            this.moe = new OpenClMixtureOfExperts(c, arena, ops, maxBatch);
            this.ffnOut = arena.buffer("moe out", floats(maxBatch, c.dim()));
            cl_mem logits = arena.buffer("logits", floats(maxBatch, c.vocabSize()));
            cl_mem argmax = arena.buffer("argmax", Integer.BYTES);
            this.io = new TokensAndLogits(ops, new TokensAndLogits.Buffers(embedding, outputNorm, output, tokens, x, xb,
                    logits, argmax), c.dim(), c.rmsEps(), c.vocabSize(), contextLength, maxBatch);
        } catch (OpenClException e) {
            throw plan.outOfMemory(e, file, device.name(), arena, limits);
        }
        this.description = String.format(Locale.ROOT, "OpenCL %s %s on %s, %s on the device", device.type(),
                device.name(), device.platformName(), MemoryPlan.size(arena.allocatedBytes()));
    }

    /** Every buffer the constructor allocates, one entry each, with the same sizes. */
    private MemoryPlan plan(GptOssWeights w, int ctx, int batch) {
        MemoryPlan plan = new MemoryPlan();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        List<Tensor> weights = new ArrayList<>(List.of(w.tokenEmbedding(), w.output()));
        for (GptOssWeights.Layer l : w.layers()) {
            weights.addAll(List.of(l.wq(), l.wk(), l.wv(), l.wo(), l.router()));
            weights.addAll(Arrays.asList(l.gateExperts()));
            weights.addAll(Arrays.asList(l.upExperts()));
            weights.addAll(Arrays.asList(l.downExperts()));
        }
        for (Tensor t : weights) {
            if (seen.put(t, Boolean.TRUE) == null) {
                plan.add("tensor '" + t.name() + "'", MemoryPlan.Kind.WEIGHTS, t.data().byteSize());
            }
        }
        plan.add("output_norm.weight", MemoryPlan.Kind.WEIGHTS, floats(1, c.dim()));
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
            plan.add("the key cache of layer " + l, MemoryPlan.Kind.KV_CACHE, floats(ctx, c.kvDim()));
            plan.add("the value cache of layer " + l, MemoryPlan.Kind.KV_CACHE, floats(ctx, c.kvDim()));
        }
        plan.add("the rope cos table", MemoryPlan.Kind.WORK, floats(ctx, c.ropeDim() / 2));
        plan.add("the rope sin table", MemoryPlan.Kind.WORK, floats(ctx, c.ropeDim() / 2));
        plan.add("the token ids", MemoryPlan.Kind.WORK, (long) batch * Integer.BYTES);
        plan.add("the hidden state", MemoryPlan.Kind.WORK, floats(batch, c.dim()));
        plan.add("the block output", MemoryPlan.Kind.WORK, floats(batch, c.dim()));
        plan.add("the queries", MemoryPlan.Kind.WORK, floats(batch, c.qDim()));
        plan.add("the attention output", MemoryPlan.Kind.WORK, floats(batch, c.qDim()));
        plan.add("the attention scores", MemoryPlan.Kind.WORK, floats((long) batch * c.heads(), ctx));
        OpenClMixtureOfExperts.plan(plan, c, batch);
        plan.add("the moe output", MemoryPlan.Kind.WORK, floats(batch, c.dim()));
        plan.add("the logits", MemoryPlan.Kind.WORK, floats(batch, c.vocabSize()));
        plan.add("the argmax", MemoryPlan.Kind.WORK, Integer.BYTES);
        return plan;
    }

    private DeviceTensor[] uploadExperts(Tensor[] experts, Map<Tensor, DeviceTensor> uploaded) {
        DeviceTensor[] out = new DeviceTensor[experts.length];
        for (int e = 0; e < experts.length; e++) {
            out[e] = arena.upload(experts[e], uploaded);
        }
        return out;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public int vocabSize() {
        return c.vocabSize();
    }

    /** The bytes of every buffer this pass allocated (weights, KV cache, work buffers); 0 after close. */
    @Override
    public OptionalLong deviceMemoryBytes() {
        return OptionalLong.of(arena.heldBytes());
    }

    @Override
    public float[] forward(int[] tokenIds, int from, int count, int pos) {
        return io.lastLogits(tokenIds, from, count, pos, this::blocks);
    }

    @Override
    public int forwardArgmax(int[] tokenIds, int from, int count, int pos) {
        return io.lastArgmax(tokenIds, from, count, pos, this::blocks);
    }

    @Override
    public void forwardAll(int[] tokenIds, int from, int count, int pos, float[][] out, int outFrom) {
        io.allLogits(tokenIds, from, count, pos, out, outFrom, this::blocks);
    }

    /** The blocks over {@code n} embedded tokens at positions {@code pos ..}, in place on {@code x}. */
    private void blocks(int n, int pos) {
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

    /** Releases the weights, the KV cache, the work buffers, the kernels and the queue. */
    @Override
    public void close() {
        arena.close();
    }
}
