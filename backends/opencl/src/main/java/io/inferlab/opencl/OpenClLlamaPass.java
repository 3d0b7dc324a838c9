package io.inferlab.opencl;

import static io.inferlab.opencl.MemoryPlan.floats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import org.jocl.cl_mem;

import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.model.LlamaConfig;
import io.inferlab.engine.model.LlamaModel;
import io.inferlab.engine.model.LlamaWeights;
import io.inferlab.engine.runtime.DeviceForwardPass;
import io.inferlab.engine.tensor.Tensor;

/**
 * The llama forward pass on an OpenCL device, op for op the engine's {@code Transformer}: the
 * weights are uploaded once at load in their GGML types (quantized blocks stay quantized), the KV
 * cache and every activation live on the device, and per batch only the token ids go in and the
 * logits (or, for greedy decoding, the argmax) come out. Tokens go through in batches of up to
 * {@link #maxBatch()}: a prompt in a few batched passes (the tiled matmul kernels), decode as a
 * batch of one (the matvec kernels). Not thread-safe.
 */
final class OpenClLlamaPass implements DeviceForwardPass {
    /** One block's weights and its KV cache ({@code [position][kvDim]} floats per buffer). */
    private record Layer(cl_mem attnNorm, DeviceTensor wq, DeviceTensor wk, DeviceTensor wv, DeviceTensor wo,
                         cl_mem ffnNorm, DeviceTensor gate, DeviceTensor up, DeviceTensor down, cl_mem keys,
                         cl_mem values) {
    }

    private final LlamaConfig c;
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
    private final cl_mem hb;
    private final cl_mem hb2;
    private final cl_mem scores;
    private final TokensAndLogits io;

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
                + context.device().name(), arena -> new OpenClLlamaPass(model, arena, contextLength, maxBatch, limits));
    }

    private OpenClLlamaPass(LlamaModel model, DeviceArena arena, int contextLength, int maxBatch, DeviceLimits limits) {
        this.c = model.config();
        this.arena = arena;
        this.ops = new OpenClOps(arena);
        this.contextLength = contextLength;
        this.maxBatch = maxBatch;
        this.attnScale = (float) (1.0 / Math.sqrt(c.headDim()));
        LlamaWeights w = model.weights();
        OpenClDevice device = arena.context().device();
        Path file = model.file().path();

        // Kernels first: a kernel that does not build fails here, before any memory is spent.
        for (Tensor t : w.matrices()) {
            ops.prepare(t.type());
        }
        ops.prepareRows(w.tokenEmbedding().type());
        ops.prepareCommon(c.ropeLayout());

        MemoryPlan plan = plan(w, contextLength, maxBatch);
        plan.check(limits, device.name(), file, contextLength);
        try {
            Map<Tensor, DeviceTensor> uploaded = new IdentityHashMap<>();
            DeviceTensor embedding = arena.upload(w.tokenEmbedding(), uploaded);
            DeviceTensor output = arena.upload(w.output(), uploaded);
            cl_mem outputNorm = arena.upload("output_norm.weight", w.outputNorm());
            List<Layer> ls = new ArrayList<>(c.layers());
            long cacheBytes = (long) contextLength * c.kvDim() * Float.BYTES;
            for (int l = 0; l < c.layers(); l++) {
                LlamaWeights.Layer lw = w.layers().get(l);
                String p = "blk." + l + ".";
                ls.add(new Layer(arena.upload(p + "attn_norm.weight", lw.attnNorm()), arena.upload(lw.wq(), uploaded),
                        arena.upload(lw.wk(), uploaded), arena.upload(lw.wv(), uploaded), arena.upload(lw.wo(), uploaded),
                        arena.upload(p + "ffn_norm.weight", lw.ffnNorm()), arena.upload(lw.ffnGate(), uploaded),
                        arena.upload(lw.ffnUp(), uploaded), arena.upload(lw.ffnDown(), uploaded),
                        arena.buffer(p + "key cache", cacheBytes), arena.buffer(p + "value cache", cacheBytes)));
            }
            this.layers = List.copyOf(ls);
            Rope rope = new Rope(c.ropeLayout(), c.headDim(), c.ropeDim(), contextLength, c.ropeBase(), c.ropeScale(),
                    w.ropeFreqs());
            RopeTable table = RopeTable.of(rope, c.headDim(), c.ropeDim(), contextLength);
            this.ropeCos = arena.upload("rope cos", table.cos());
            this.ropeSin = arena.upload("rope sin", table.sin());
            cl_mem tokens = arena.buffer("token ids", (long) maxBatch * Integer.BYTES);
            this.x = arena.buffer("x", floats(maxBatch, c.dim()));
            this.xb = arena.buffer("xb", floats(maxBatch, c.dim()));
            this.q = arena.buffer("q", floats(maxBatch, c.qDim()));
            this.att = arena.buffer("attention out", floats(maxBatch, c.qDim()));
            this.hb = arena.buffer("ffn gate", floats(maxBatch, c.ffnDim()));
            this.hb2 = arena.buffer("ffn up", floats(maxBatch, c.ffnDim()));
            this.scores = arena.buffer("attention scores", floats((long) maxBatch * c.heads(), contextLength));
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

    /** Every buffer {@link #OpenClLlamaPass} allocates, one entry each, with the same sizes. */
    private MemoryPlan plan(LlamaWeights w, int ctx, int batch) {
        MemoryPlan plan = new MemoryPlan();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        List<Tensor> weights = new ArrayList<>(w.matrices());
        weights.add(w.tokenEmbedding());
        for (Tensor t : weights) {
            if (seen.put(t, Boolean.TRUE) == null) {
                plan.add("tensor '" + t.name() + "'", MemoryPlan.Kind.WEIGHTS, t.data().byteSize());
            }
        }
        for (int i = 0; i < 2 * c.layers() + 1; i++) {
            plan.add("a norm weight", MemoryPlan.Kind.WEIGHTS, floats(1, c.dim()));
        }
        long cache = floats(ctx, c.kvDim());
        for (int l = 0; l < c.layers(); l++) {
            plan.add("the key cache of layer " + l, MemoryPlan.Kind.KV_CACHE, cache);
            plan.add("the value cache of layer " + l, MemoryPlan.Kind.KV_CACHE, cache);
        }
        plan.add("the rope cos table", MemoryPlan.Kind.WORK, floats(ctx, c.ropeDim() / 2));
        plan.add("the rope sin table", MemoryPlan.Kind.WORK, floats(ctx, c.ropeDim() / 2));
        plan.add("the token ids", MemoryPlan.Kind.WORK, (long) batch * Integer.BYTES);
        plan.add("the hidden state", MemoryPlan.Kind.WORK, floats(batch, c.dim()));
        plan.add("the block output", MemoryPlan.Kind.WORK, floats(batch, c.dim()));
        plan.add("the queries", MemoryPlan.Kind.WORK, floats(batch, c.qDim()));
        plan.add("the attention output", MemoryPlan.Kind.WORK, floats(batch, c.qDim()));
        plan.add("the ffn gate", MemoryPlan.Kind.WORK, floats(batch, c.ffnDim()));
        plan.add("the ffn up", MemoryPlan.Kind.WORK, floats(batch, c.ffnDim()));
        plan.add("the attention scores", MemoryPlan.Kind.WORK, floats((long) batch * c.heads(), ctx));
        plan.add("the logits", MemoryPlan.Kind.WORK, floats(batch, c.vocabSize()));
        plan.add("the argmax", MemoryPlan.Kind.WORK, Integer.BYTES);
        return plan;
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

    /** The transformer blocks over {@code n} embedded tokens at positions {@code pos ..}, in place on {@code x}. */
    private void blocks(int n, int pos) {
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

    /** The bytes of every buffer this pass allocated (weights, KV cache, work buffers); 0 after close. */
    @Override
    public OptionalLong deviceMemoryBytes() {
        return OptionalLong.of(arena.heldBytes());
    }

    /** Releases the weights, the KV cache, the work buffers, the kernels and the queue. */
    @Override
    public void close() {
        arena.close();
    }
}
