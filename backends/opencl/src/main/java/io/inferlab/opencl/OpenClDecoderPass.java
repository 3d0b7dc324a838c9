package io.inferlab.opencl;

import static io.inferlab.opencl.MemoryPlan.floats;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import org.jocl.cl_mem;

import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.model.DecoderShape;
import io.inferlab.engine.runtime.DeviceForwardPass;
import io.inferlab.engine.tensor.Tensor;

/**
 * What the llama and gpt-oss passes share on an OpenCL device (the engine's {@code DecoderPass}
 * on the CPU): the load's order (kernels built before any memory is spent, the whole memory plan
 * checked against the device, then the uploads, an allocation that fails anyway explained with
 * the sizes), the buffers every decoder has (token embedding, output and its norm, RoPE tables,
 * residual stream, queries, attention scores and output, logits) and the
 * {@link DeviceForwardPass} calls, which run the architecture's {@link #blocks} between the
 * embedding lookup and the logits ({@link TokensAndLogits}). A subclass adds its own kernels and
 * plan entries before this constructor runs, and uploads its layers after. Not thread-safe.
 */
abstract sealed class OpenClDecoderPass implements DeviceForwardPass permits OpenClLlamaPass, OpenClGptOssPass {
    /** Where and how large a load is: the arena the pass will own, the model file (for messages), the device's limits. */
    record Load(DeviceArena arena, Path file, DeviceLimits limits, int contextLength, int maxBatch) {
    }

    /** The weights outside the layers, and every matrix (for the kernels to build and the plan). */
    record Weights(Tensor tokenEmbedding, Tensor output, float[] outputNorm, List<Tensor> matrices) {
    }

    final DeviceArena arena;
    final OpenClOps ops;
    final DecoderShape shape;
    final int contextLength;
    final int maxBatch;
    /** 1 / sqrt(head size), the attention's score scale. */
    final float attnScale;
    /** Tensors already on the device, so a tied output is the embedding's buffer, not a second copy. */
    final Map<Tensor, DeviceTensor> uploaded = new IdentityHashMap<>();
    final cl_mem ropeCos;
    final cl_mem ropeSin;
    /** The residual stream: {@code dim} floats per token of the batch. */
    final cl_mem x;
    /** A block's normed input, then its output before the residual add. */
    final cl_mem xb;
    final cl_mem q;
    final cl_mem att;
    final cl_mem scores;
    private final Load load;
    private final MemoryPlan plan;
    private final TokensAndLogits io;

    /**
     * Builds the common kernels, checks {@code plan} (the subclass's own entries) with this
     * class's added, and allocates the common buffers.
     *
     * @throws UnsupportedModelException when the model does not fit, naming the sizes
     */
    OpenClDecoderPass(Load load, OpenClOps ops, DecoderShape shape, Rope rope, Weights w, MemoryPlan plan) {
        this.load = load;
        this.arena = load.arena();
        this.ops = ops;
        this.shape = shape;
        this.contextLength = load.contextLength();
        this.maxBatch = load.maxBatch();
        this.attnScale = (float) (1.0 / Math.sqrt(shape.headDim()));
        this.plan = plan;

        // Kernels first: a kernel that does not build fails here, before any memory is spent.
        for (Tensor t : w.matrices()) {
            ops.prepare(t.type());
        }
        ops.prepareRows(w.tokenEmbedding().type());
        ops.prepareCommon(rope.layout());

        addCommon(plan, shape, w, contextLength, maxBatch);
        plan.check(load.limits(), deviceName(), load.file(), contextLength);
        try {
            DeviceTensor embedding = arena.upload(w.tokenEmbedding(), uploaded);
            DeviceTensor output = arena.upload(w.output(), uploaded);
            cl_mem outputNorm = arena.upload("output_norm.weight", w.outputNorm());
            RopeTable table = RopeTable.of(rope, shape.headDim(), shape.ropeDim(), contextLength);
            this.ropeCos = arena.upload("rope cos", table.cos());
            this.ropeSin = arena.upload("rope sin", table.sin());
            cl_mem tokens = arena.buffer("token ids", (long) maxBatch * Integer.BYTES);
            this.x = arena.buffer("x", floats(maxBatch, shape.dim()));
            this.xb = arena.buffer("xb", floats(maxBatch, shape.dim()));
            this.q = arena.buffer("q", floats(maxBatch, shape.qDim()));
            this.att = arena.buffer("attention out", floats(maxBatch, shape.qDim()));
            this.scores = arena.buffer("attention scores", floats((long) maxBatch * shape.heads(), contextLength));
            cl_mem logits = arena.buffer("logits", floats(maxBatch, shape.vocabSize()));
            cl_mem argmax = arena.buffer("argmax", Integer.BYTES);
            this.io = new TokensAndLogits(ops, new TokensAndLogits.Buffers(embedding, outputNorm, output, tokens, x, xb,
                    logits, argmax), shape.dim(), shape.rmsEps(), shape.vocabSize(), contextLength, maxBatch);
        } catch (OpenClException e) {
            throw outOfMemory(e);
        }
    }

    /** The plan entries of what this class allocates, and of every matrix and each layer's KV cache. */
    private static void addCommon(MemoryPlan plan, DecoderShape s, Weights w, int ctx, int batch) {
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (Tensor t : w.matrices()) {
            if (seen.put(t, Boolean.TRUE) == null) {
                plan.add("tensor '" + t.name() + "'", MemoryPlan.Kind.WEIGHTS, t.data().byteSize());
            }
        }
        if (seen.put(w.tokenEmbedding(), Boolean.TRUE) == null) {
            plan.add("tensor '" + w.tokenEmbedding().name() + "'", MemoryPlan.Kind.WEIGHTS, w.tokenEmbedding().data().byteSize());
        }
        plan.add("output_norm.weight", MemoryPlan.Kind.WEIGHTS, floats(1, s.dim()));
        for (int l = 0; l < s.layers(); l++) {
            plan.add("the key cache of layer " + l, MemoryPlan.Kind.KV_CACHE, floats(ctx, s.kvDim()));
            plan.add("the value cache of layer " + l, MemoryPlan.Kind.KV_CACHE, floats(ctx, s.kvDim()));
        }
        plan.add("the rope cos table", MemoryPlan.Kind.WORK, floats(ctx, s.ropeDim() / 2));
        plan.add("the rope sin table", MemoryPlan.Kind.WORK, floats(ctx, s.ropeDim() / 2));
        plan.add("the token ids", MemoryPlan.Kind.WORK, (long) batch * Integer.BYTES);
        plan.add("the hidden state", MemoryPlan.Kind.WORK, floats(batch, s.dim()));
        plan.add("the block output", MemoryPlan.Kind.WORK, floats(batch, s.dim()));
        plan.add("the queries", MemoryPlan.Kind.WORK, floats(batch, s.qDim()));
        plan.add("the attention output", MemoryPlan.Kind.WORK, floats(batch, s.qDim()));
        plan.add("the attention scores", MemoryPlan.Kind.WORK, floats((long) batch * s.heads(), ctx));
        plan.add("the logits", MemoryPlan.Kind.WORK, floats(batch, s.vocabSize()));
        plan.add("the argmax", MemoryPlan.Kind.WORK, Integer.BYTES);
    }

    /** A layer's key or value cache ({@code [position][kvDim]} floats), as planned by this class. */
    final cl_mem kvCache(int layer, String which) {
        return arena.buffer("blk." + layer + "." + which + " cache", floats(contextLength, shape.kvDim()));
    }

    /** The error for an allocation that failed although the plan passed: with the sizes when the device ran out. */
    final RuntimeException outOfMemory(OpenClException e) {
        return plan.outOfMemory(e, load.file(), deviceName(), arena, load.limits());
    }

    private String deviceName() {
        return arena.context().device().name();
    }

    /** The transformer blocks over {@code n} embedded tokens at positions {@code pos ..}, in place on {@link #x}. */
    abstract void blocks(int n, int pos);

    @Override
    public final String description() {
        OpenClDevice device = arena.context().device();
        return String.format(Locale.ROOT, "OpenCL %s %s on %s, %s on the device", device.type(), device.name(),
                device.platformName(), MemoryPlan.size(arena.allocatedBytes()));
    }

    @Override
    public final int contextLength() {
        return contextLength;
    }

    @Override
    public final int maxBatch() {
        return maxBatch;
    }

    @Override
    public final int vocabSize() {
        return shape.vocabSize();
    }

    @Override
    public final float[] forward(int[] tokenIds, int from, int count, int pos) {
        return io.lastLogits(tokenIds, from, count, pos, this::blocks);
    }

    @Override
    public final int forwardArgmax(int[] tokenIds, int from, int count, int pos) {
        return io.lastArgmax(tokenIds, from, count, pos, this::blocks);
    }

    @Override
    public final void forwardAll(int[] tokenIds, int from, int count, int pos, float[][] out, int outFrom) {
        io.allLogits(tokenIds, from, count, pos, out, outFrom, this::blocks);
    }

    /** The bytes of every buffer this pass allocated (weights, KV cache, work buffers); 0 after close. */
    @Override
    public final OptionalLong deviceMemoryBytes() {
        return OptionalLong.of(arena.heldBytes());
    }

    /** Releases the weights, the KV cache, the work buffers, the kernels and the queue. */
    @Override
    public final void close() {
        arena.close();
    }
}
