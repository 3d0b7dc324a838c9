package io.inferlab.cuda.runtime;

import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.model.ForwardPass;
import io.inferlab.engine.model.LlamaConfig;
import io.inferlab.engine.model.LlamaModel;
import io.inferlab.engine.model.LlamaWeights;
import io.inferlab.engine.runtime.DeviceForwardPass;
import io.inferlab.engine.tensor.Tensor;

/**
 * The llama forward pass on a CUDA device, step for step the engine's
 * {@link io.inferlab.engine.model.Transformer}: weights uploaded once in their GGML type
 * (quantized blocks stay quantized), the KV cache on the device, so a step sends token ids in and
 * brings logits (or, with {@link #forwardArgmax}, one id) back. K and V are written by their
 * matmuls straight into the cache at the batch's positions, and RoPE rotates K there.
 */
public final class CudaLlamaForwardPass implements DeviceForwardPass {
    private final LlamaConfig c;
    private final CudaContext cx;
    private final CudaOps ops;
    private final int contextLength;
    private final int maxBatch;
    private final DeviceMemoryPlan plan;
    private final Map<Tensor, DeviceBuffer> weights = new IdentityHashMap<>();
    private final LlamaWeights w;
    private final DeviceBuffer outputNorm;
    private final DeviceBuffer[] attnNorm;
    private final DeviceBuffer[] ffnNorm;
    private final DeviceBuffer cos;
    private final DeviceBuffer sin;
    private final DeviceBuffer keys;
    private final DeviceBuffer values;
    private final DeviceBuffer x;
    private final DeviceBuffer xb;
    private final DeviceBuffer q;
    private final DeviceBuffer att;
    private final DeviceBuffer hb;
    private final DeviceBuffer hb2;
    private final DeviceBuffer logitsDev;
    private final DeviceBuffer ids;
    private final DeviceBuffer argmax;
    private final float[] logits;
    private final float attnScale;

    /**
     * Plans, checks the fit, allocates and uploads. Takes ownership of {@code cx}: on failure it is
     * closed (every allocation freed) before the exception propagates.
     *
     * @throws io.inferlab.api.UnsupportedModelException when the model does not fit or has a weight type without a kernel
     */
    public static CudaLlamaForwardPass open(CudaContext cx, LlamaModel model, int contextLength, int maxBatch) {
        try {
            return new CudaLlamaForwardPass(cx, model, contextLength, maxBatch);
        } catch (RuntimeException | Error e) {
            cx.close();
            throw e;
        }
    }

    private CudaLlamaForwardPass(CudaContext cx, LlamaModel model, int contextLength, int maxBatch) {
        this.c = model.config();
        this.w = model.weights();
        this.cx = cx;
        this.ops = new CudaOps(cx);
        this.contextLength = contextLength;
        this.maxBatch = maxBatch;
        for (Tensor t : w.matrices()) {
            if (!CudaOps.supports(t.type())) {
                throw new io.inferlab.api.UnsupportedModelException("tensor '" + t.name() + "' of " + model.file().path()
                        + " is " + t.type() + ", which the CUDA backend has no kernel for (supported: F32, F16, Q8_0, "
                        + "Q4_0, MXFP4)");
            }
        }
        this.plan = DeviceMemoryPlan.forLlama(c, w, contextLength, maxBatch);
        long[] mem = cx.memoryInfo();
        plan.checkFits(model.file().path().getFileName().toString(), cx.device().name(), mem[0], mem[1]);

        upload(w.tokenEmbedding());
        upload(w.output());
        for (LlamaWeights.Layer l : w.layers()) {
            for (Tensor t : new Tensor[] {l.wq(), l.wk(), l.wv(), l.wo(), l.ffnGate(), l.ffnUp(), l.ffnDown()}) {
                upload(t);
            }
        }
        this.outputNorm = floats("output_norm.weight", w.outputNorm());
        this.attnNorm = new DeviceBuffer[c.layers()];
        this.ffnNorm = new DeviceBuffer[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            attnNorm[l] = floats("blk." + l + ".attn_norm.weight", w.layers().get(l).attnNorm());
            ffnNorm[l] = floats("blk." + l + ".ffn_norm.weight", w.layers().get(l).ffnNorm());
        }
        float[][] table = RopeTable.of(c, w.ropeFreqs(), contextLength);
        this.cos = floats("rope cos", table[0]);
        this.sin = floats("rope sin", table[1]);
        long cache = 4L * c.layers() * contextLength * c.kvDim();
        this.keys = cx.alloc("kv cache: keys", cache);
        this.values = cx.alloc("kv cache: values", cache);
        this.x = cx.alloc("x", 4L * maxBatch * c.dim());
        this.xb = cx.alloc("xb", 4L * maxBatch * c.dim());
        this.q = cx.alloc("q", 4L * maxBatch * c.qDim());
        this.att = cx.alloc("att", 4L * maxBatch * c.qDim());
        this.hb = cx.alloc("hb", 4L * maxBatch * c.ffnDim());
        this.hb2 = cx.alloc("hb2", 4L * maxBatch * c.ffnDim());
        this.logitsDev = cx.alloc("logits", 4L * maxBatch * c.vocabSize());
        this.ids = cx.alloc("token ids", 4L * maxBatch);
        this.argmax = cx.alloc("argmax", 4);
        this.logits = new float[c.vocabSize()];
        this.attnScale = (float) (1.0 / Math.sqrt(c.headDim()));
        cx.synchronize();
    }

    private void upload(Tensor t) {
        if (!weights.containsKey(t)) {
            DeviceBuffer b = cx.alloc(t.name(), t.data().byteSize());
            cx.upload(b, t.data());
            weights.put(t, b);
        }
    }

    private DeviceBuffer floats(String what, float[] v) {
        DeviceBuffer b = cx.alloc(what, 4L * v.length);
        cx.upload(b, 0, v, 0, v.length);
        return b;
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
        return String.format(Locale.ROOT, "CUDA %s (%s), PTX kernels via the driver API, %.1f MiB device memory "
                        + "(weights %.1f MiB, KV cache %.1f MiB)", cx.device().name(), cx.device().smName(),
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
        return c.vocabSize();
    }

    @Override
    public float[] forward(int[] tokens, int from, int count, int pos) {
        hidden(tokens, from, count, pos);
        outputLogits(count - 1, 1);
        cx.download(logits, 0, logitsDev, 0, c.vocabSize());
        return logits;
    }

    @Override
    public void forwardAll(int[] tokens, int from, int count, int pos, float[][] out, int outFrom) {
        hidden(tokens, from, count, pos);
        outputLogits(0, count);
        for (int t = 0; t < count; t++) {
            cx.download(out[outFrom + t], 0, logitsDev, (long) t * c.vocabSize(), c.vocabSize());
        }
    }

    /** Like {@link #forward} but returns only the argmax of the last token's logits (greedy decoding on the device). */
    public int forwardArgmax(int[] tokens, int from, int count, int pos) {
        hidden(tokens, from, count, pos);
        outputLogits(count - 1, 1);
        ops.argmax(logitsDev.pointer(), c.vocabSize(), argmax.pointer());
        return cx.downloadInt(argmax);
    }

    /** Logits of tokens first..first+n-1 of the batch into logitsDev[0..n). */
    private void outputLogits(int first, int n) {
        ops.rmsnorm(xb.pointer(), x.atFloat((long) first * c.dim()), outputNorm.pointer(), c.dim(), c.rmsEps(), n);
        Tensor out = w.output();
        ops.matmul(out.type(), weights.get(out).pointer(), xb.pointer(), logitsDev.pointer(), c.vocabSize(), c.dim(), n);
    }

    private void hidden(int[] tokens, int from, int n, int pos) {
        ForwardPass.checkBatch(tokens, from, n, pos, maxBatch, contextLength, c.vocabSize());
        int dim = c.dim();
        int kvDim = c.kvDim();
        cx.upload(ids, tokens, from, n);
        Tensor emb = w.tokenEmbedding();
        ops.getRows(emb.type(), weights.get(emb).pointer(), ids.pointer(), x.pointer(), dim, n);
        for (int l = 0; l < c.layers(); l++) {
            LlamaWeights.Layer layer = w.layers().get(l);
            long layerBase = (long) l * contextLength * kvDim;
            var kAt = keys.atFloat(layerBase + (long) pos * kvDim);
            var vAt = values.atFloat(layerBase + (long) pos * kvDim);
            ops.rmsnorm(xb.pointer(), x.pointer(), attnNorm[l].pointer(), dim, c.rmsEps(), n);
            matmul(layer.wq(), xb, q.pointer(), n);
            matmul(layer.wk(), xb, kAt, n);
            matmul(layer.wv(), xb, vAt, n);
            ops.rope(q.pointer(), cos.pointer(), sin.pointer(), n, c.heads(), c.qDim(), c.headDim(), c.ropeDim(), pos,
                    c.ropeLayout());
            ops.rope(kAt, cos.pointer(), sin.pointer(), n, c.kvHeads(), kvDim, c.headDim(), c.ropeDim(), pos,
                    c.ropeLayout());
            ops.attention(att.pointer(), q.pointer(), keys.atFloat(layerBase), values.atFloat(layerBase), null,
                    c.heads(), c.kvHeads(), c.headDim(), pos, n, 0, attnScale, contextLength);
            matmul(layer.wo(), att, xb.pointer(), n);
            ops.add(x.pointer(), xb.pointer(), n * dim);
            ops.rmsnorm(xb.pointer(), x.pointer(), ffnNorm[l].pointer(), dim, c.rmsEps(), n);
            matmul(layer.ffnGate(), xb, hb.pointer(), n);
            matmul(layer.ffnUp(), xb, hb2.pointer(), n);
            ops.swiglu(hb.pointer(), hb2.pointer(), n * c.ffnDim());
            matmul(layer.ffnDown(), hb, xb.pointer(), n);
            ops.add(x.pointer(), xb.pointer(), n * dim);
        }
    }

    private void matmul(Tensor t, DeviceBuffer in, jcuda.driver.CUdeviceptr out, int n) {
        ops.matmul(t.type(), weights.get(t).pointer(), in.pointer(), out, t.rows(), t.cols(), n);
    }

    @Override
    public void close() {
        cx.close();
    }

}
