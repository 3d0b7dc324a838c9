package io.inferlab.cuda.runtime;

import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

import io.inferlab.engine.model.DecoderShape;
import io.inferlab.engine.model.ForwardPass;
import io.inferlab.engine.runtime.DeviceForwardPass;
import io.inferlab.engine.tensor.Tensor;

/**
 * What the llama and gpt-oss passes on a CUDA device share, as the engine's {@code DecoderPass}
 * is for the CPU: the fit check against the memory plan, weights uploaded once in their GGML type,
 * the embedding lookup's ids, the residual stream and attention buffers, the KV cache, RoPE
 * tables, the final norm and the logits, and the three ways a step returns (all logits, the last
 * token's, or its argmax computed on the device). A subclass uploads its layers' weights and runs
 * them in {@link #layers}.
 */
public abstract sealed class CudaDecoderPass implements DeviceForwardPass
        permits CudaLlamaForwardPass, CudaGptOssForwardPass {
    protected final CudaContext cx;
    protected final CudaOps ops;
    protected final DecoderShape shape;
    protected final int contextLength;
    protected final int maxBatch;
    protected final DeviceBuffer cos;
    protected final DeviceBuffer sin;
    /** The residual stream: {@code dim} floats per token of the batch. */
    protected final DeviceBuffer x;
    /** A block's normed input, then its output before the residual add. */
    protected final DeviceBuffer xb;
    protected final DeviceBuffer q;
    /** The attention's output, the input of the output projection. */
    protected final DeviceBuffer att;
    protected final float attnScale;
    private final DeviceMemoryPlan plan;
    private final Map<Tensor, DeviceBuffer> weights = new IdentityHashMap<>();
    private final Tensor tokenEmbedding;
    private final Tensor output;
    private final DeviceBuffer outputNorm;
    private final DeviceBuffer keys;
    private final DeviceBuffer values;
    private final DeviceBuffer logitsDev;
    private final DeviceBuffer ids;
    private final DeviceBuffer argmax;
    private final float[] logits;

    /**
     * Checks that {@code plan} fits the device's free memory (before anything is allocated), then
     * uploads the embedding, the output matrix and the final norm, and allocates the buffers every
     * pass has.
     *
     * @param model    the model file's name, for the message when it does not fit
     * @param rope     the cos and sin tables ({@link RopeTable})
     */
    protected CudaDecoderPass(CudaContext cx, DecoderShape shape, DeviceMemoryPlan plan, String model,
                              int contextLength, int maxBatch, Tensor tokenEmbedding, Tensor output,
                              float[] outputNorm, float[][] rope) {
        long[] mem = cx.memoryInfo();
        plan.checkFits(model, cx.device().name(), mem[0], mem[1]);
        this.cx = cx;
        this.ops = new CudaOps(cx);
        this.shape = shape;
        this.plan = plan;
        this.contextLength = contextLength;
        this.maxBatch = maxBatch;
        this.tokenEmbedding = tokenEmbedding;
        this.output = output;
        upload(tokenEmbedding);
        upload(output);
        this.outputNorm = floats("output_norm.weight", outputNorm);
        this.cos = floats("rope cos", rope[0]);
        this.sin = floats("rope sin", rope[1]);
        long cache = 4L * shape.layers() * contextLength * shape.kvDim();
        this.keys = cx.alloc("kv cache: keys", cache);
        this.values = cx.alloc("kv cache: values", cache);
        this.x = cx.alloc("x", 4L * maxBatch * shape.dim());
        this.xb = cx.alloc("xb", 4L * maxBatch * shape.dim());
        this.q = cx.alloc("q", 4L * maxBatch * shape.qDim());
        this.att = cx.alloc("att", 4L * maxBatch * shape.qDim());
        this.logitsDev = cx.alloc("logits", 4L * maxBatch * shape.vocabSize());
        this.ids = cx.alloc("token ids", 4L * maxBatch);
        this.argmax = cx.alloc("argmax", 4);
        this.logits = new float[shape.vocabSize()];
        this.attnScale = (float) (1.0 / Math.sqrt(shape.headDim()));
    }

    /**
     * Runs {@code constructor}, which takes ownership of {@code cx}: on failure the context is
     * closed (every allocation freed) before the exception propagates.
     */
    protected static <P extends CudaDecoderPass> P closingOnFailure(CudaContext cx, Supplier<P> constructor) {
        try {
            return constructor.get();
        } catch (RuntimeException | Error e) {
            cx.close();
            throw e;
        }
    }

    /** Uploads {@code t} in its GGML type, once however often it is named (a tied output is the embedding). */
    protected final void upload(Tensor t) {
        if (!weights.containsKey(t)) {
            DeviceBuffer b = cx.alloc(t.name(), t.data().byteSize());
            cx.upload(b, t.data());
            weights.put(t, b);
        }
    }

    /** Where {@link #upload} put {@code t}. */
    protected final DevicePointer weight(Tensor t) {
        return weights.get(t).pointer();
    }

    protected final DeviceBuffer floats(String what, float[] v) {
        DeviceBuffer b = cx.alloc(what, 4L * v.length);
        cx.upload(b, 0, v, 0, v.length);
        return b;
    }

    /** Layer {@code l}'s keys in the cache, from position 0. */
    protected final DevicePointer layerKeys(int l) {
        return keys.atFloat((long) l * contextLength * shape.kvDim());
    }

    /** Layer {@code l}'s values in the cache, from position 0. */
    protected final DevicePointer layerValues(int l) {
        return values.atFloat((long) l * contextLength * shape.kvDim());
    }

    /** Layer {@code l}'s keys in the cache from position {@code pos}: where a batch's K is written. */
    protected final DevicePointer keysAt(int l, int pos) {
        return keys.atFloat(((long) l * contextLength + pos) * shape.kvDim());
    }

    /** Layer {@code l}'s values in the cache from position {@code pos}: where a batch's V is written. */
    protected final DevicePointer valuesAt(int l, int pos) {
        return values.atFloat(((long) l * contextLength + pos) * shape.kvDim());
    }

    /** {@code out = t . in} for {@code n} tokens. */
    protected final void matmul(Tensor t, DevicePointer in, DevicePointer out, int n) {
        ops.matmul(t.type(), weight(t), in, out, t.rows(), t.cols(), n);
    }

    /** The layers, on the embedded batch in {@link #x}; they leave the residual stream in {@link #x}. */
    protected abstract void layers(int n, int pos);

    /** What this pass adds to {@link #description}, before the device memory, e.g. its mixture of experts. */
    protected String detail() {
        return "";
    }

    /** The plan the allocations followed (for the memory report). */
    public DeviceMemoryPlan plan() {
        return plan;
    }

    /** Device bytes this forward pass holds. */
    public long deviceBytes() {
        return cx.allocatedBytes();
    }

    /** Everything this pass allocated on the device (weights, KV cache, activations), as the backend reports it. */
    @Override
    public OptionalLong deviceMemoryBytes() {
        return OptionalLong.of(cx.allocatedBytes());
    }

    public CudaContext context() {
        return cx;
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "CUDA %s (%s), PTX kernels via the driver API, %s%.1f MiB device memory "
                        + "(weights %.1f MiB, KV cache %.1f MiB)", cx.device().name(), cx.device().smName(), detail(),
                cx.allocatedBytes() / 1048576.0, plan.bytesOf("weights") / 1048576.0,
                plan.bytesOf("kv cache") / 1048576.0);
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
        return shape.vocabSize();
    }

    @Override
    public float[] forward(int[] tokens, int from, int count, int pos) {
        hidden(tokens, from, count, pos);
        outputLogits(count - 1, 1);
        cx.download(logits, 0, logitsDev, 0, shape.vocabSize());
        return logits;
    }

    @Override
    public void forwardAll(int[] tokens, int from, int count, int pos, float[][] out, int outFrom) {
        hidden(tokens, from, count, pos);
        outputLogits(0, count);
        for (int t = 0; t < count; t++) {
            cx.download(out[outFrom + t], 0, logitsDev, (long) t * shape.vocabSize(), shape.vocabSize());
        }
    }

    /** Like {@link #forward} but returns only the argmax of the last token's logits (greedy decoding on the device). */
    @Override
    public int forwardArgmax(int[] tokens, int from, int count, int pos) {
        hidden(tokens, from, count, pos);
        outputLogits(count - 1, 1);
        ops.argmax(logitsDev.pointer(), shape.vocabSize(), argmax.pointer());
        return cx.downloadInt(argmax);
    }

    /** The batch's ids in, embedded into {@link #x}, and the layers run over it. */
    private void hidden(int[] tokens, int from, int n, int pos) {
        ForwardPass.checkBatch(tokens, from, n, pos, maxBatch, contextLength, shape.vocabSize());
        cx.upload(ids, tokens, from, n);
        ops.getRows(tokenEmbedding.type(), weight(tokenEmbedding), ids.pointer(), x.pointer(), shape.dim(), n);
        layers(n, pos);
    }

    /** Logits of tokens first..first+n-1 of the batch into logitsDev[0..n). */
    private void outputLogits(int first, int n) {
        ops.rmsnorm(xb.pointer(), x.atFloat((long) first * shape.dim()), outputNorm.pointer(), shape.dim(),
                shape.rmsEps(), n);
        ops.matmul(output.type(), weight(output), xb.pointer(), logitsDev.pointer(), shape.vocabSize(), shape.dim(), n);
    }

    @Override
    public void close() {
        cx.close();
    }
}
