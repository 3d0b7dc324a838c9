package io.inferlab.cuda.runtime;

import io.inferlab.api.UnsupportedModelException;
import io.inferlab.cuda.kernels.CudaKernel;
import io.inferlab.engine.model.LlamaConfig;
import io.inferlab.engine.model.LlamaModel;
import io.inferlab.engine.model.LlamaWeights;
import io.inferlab.engine.tensor.Tensor;

/**
 * The llama forward pass on a CUDA device, step for step the engine's
 * {@link io.inferlab.engine.model.Transformer}: weights uploaded once in their GGML type
 * (quantized blocks stay quantized), the KV cache on the device, so a step sends token ids in and
 * brings logits (or, with {@link #forwardArgmax}, one id) back. K and V are written by their
 * matmuls straight into the cache at the batch's positions, and RoPE rotates K there.
 */
public final class CudaLlamaForwardPass extends CudaDecoderPass {
    private final LlamaConfig c;
    private final LlamaWeights w;
    private final DeviceBuffer[] attnNorm;
    private final DeviceBuffer[] ffnNorm;
    private final DeviceBuffer hb;
    private final DeviceBuffer hb2;

    /**
     * Plans, checks the fit, allocates and uploads. Takes ownership of {@code cx}: on failure it is
     * closed (every allocation freed) before the exception propagates.
     *
     * @throws UnsupportedModelException when the model does not fit or has a weight type without a kernel
     */
    public static CudaLlamaForwardPass open(CudaContext cx, LlamaModel model, int contextLength, int maxBatch) {
        return closingOnFailure(cx, () -> new CudaLlamaForwardPass(cx, model, contextLength, maxBatch));
    }

    private CudaLlamaForwardPass(CudaContext cx, LlamaModel model, int contextLength, int maxBatch) {
        checkSupported(model);
        LlamaConfig config = model.config();
        LlamaWeights weights = model.weights();
        super(cx, config.shape(), DeviceMemoryPlan.forLlama(config, weights, contextLength, maxBatch),
                model.file().path().getFileName().toString(), contextLength, maxBatch, weights.tokenEmbedding(),
                weights.output(), weights.outputNorm(), RopeTable.of(config, weights.ropeFreqs(), contextLength));
        this.c = config;
        this.w = weights;
        for (LlamaWeights.Layer l : w.layers()) {
            for (Tensor t : new Tensor[] {l.wq(), l.wk(), l.wv(), l.wo(), l.ffnGate(), l.ffnUp(), l.ffnDown()}) {
                upload(t);
            }
        }
        this.attnNorm = new DeviceBuffer[c.layers()];
        this.ffnNorm = new DeviceBuffer[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            attnNorm[l] = floats("blk." + l + ".attn_norm.weight", w.layers().get(l).attnNorm());
            ffnNorm[l] = floats("blk." + l + ".ffn_norm.weight", w.layers().get(l).ffnNorm());
        }
        this.hb = cx.alloc("hb", 4L * maxBatch * c.ffnDim());
        this.hb2 = cx.alloc("hb2", 4L * maxBatch * c.ffnDim());
        cx.synchronize();
    }

    private static void checkSupported(LlamaModel model) {
        for (Tensor t : model.weights().matrices()) {
            if (!CudaOps.supports(t.type())) {
                throw new UnsupportedModelException("tensor '" + t.name() + "' of " + model.file().path()
                        + " is " + t.type() + ", which the CUDA backend has no kernel for (supported: "
                        + CudaKernel.matmulTypes() + ")");
            }
        }
    }

    @Override
    protected void layers(int n, int pos) {
        int dim = c.dim();
        int kvDim = c.kvDim();
        for (int l = 0; l < c.layers(); l++) {
            LlamaWeights.Layer layer = w.layers().get(l);
            DevicePointer kAt = keysAt(l, pos);
            DevicePointer vAt = valuesAt(l, pos);
            ops.rmsnorm(xb.pointer(), x.pointer(), attnNorm[l].pointer(), dim, c.rmsEps(), n);
            matmul(layer.wq(), xb.pointer(), q.pointer(), n);
            matmul(layer.wk(), xb.pointer(), kAt, n);
            matmul(layer.wv(), xb.pointer(), vAt, n);
            ops.rope(q.pointer(), cos.pointer(), sin.pointer(), n, c.heads(), c.qDim(), c.headDim(), c.ropeDim(), pos,
                    c.ropeLayout());
            ops.rope(kAt, cos.pointer(), sin.pointer(), n, c.kvHeads(), kvDim, c.headDim(), c.ropeDim(), pos,
                    c.ropeLayout());
            ops.attention(att.pointer(), q.pointer(), layerKeys(l), layerValues(l), null,
                    c.heads(), c.kvHeads(), c.headDim(), pos, n, 0, attnScale, contextLength);
            matmul(layer.wo(), att.pointer(), xb.pointer(), n);
            ops.add(x.pointer(), xb.pointer(), n * dim);
            ops.rmsnorm(xb.pointer(), x.pointer(), ffnNorm[l].pointer(), dim, c.rmsEps(), n);
            matmul(layer.ffnGate(), xb.pointer(), hb.pointer(), n);
            matmul(layer.ffnUp(), xb.pointer(), hb2.pointer(), n);
            ops.swiglu(hb.pointer(), hb2.pointer(), n * c.ffnDim());
            matmul(layer.ffnDown(), hb.pointer(), xb.pointer(), n);
            ops.add(x.pointer(), xb.pointer(), n * dim);
        }
    }
}
