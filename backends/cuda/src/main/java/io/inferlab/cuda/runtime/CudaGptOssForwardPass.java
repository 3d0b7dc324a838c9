package io.inferlab.cuda.runtime;

import java.util.Locale;

import io.inferlab.api.UnsupportedModelException;
import io.inferlab.cuda.kernels.CudaKernel;
import io.inferlab.cuda.kernels.LaunchGeometry;
import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.model.GptOssConfig;
import io.inferlab.engine.model.GptOssModel;
import io.inferlab.engine.model.GptOssWeights;
import io.inferlab.engine.tensor.Tensor;

/**
 * The gpt-oss forward pass on a CUDA device, step for step the engine's
 * {@link io.inferlab.engine.model.GptOssTransformer} (llama.cpp's llm_build_openai_moe_iswa):
 * <pre>
 *   h  = x + Wo . attention(rope(Wq n + bq), rope(Wk n + bk), Wv n + bv) + bo,  n = rmsnorm(x) * attn_norm
 *   x' = h + moe(rmsnorm(h) * post_attention_norm)
 * </pre>
 * Attention has a sink logit per head, YaRN RoPE in the NEOX layout, and a sliding window on the
 * layers the config names. The mixture of experts runs entirely on the device: the router matmul,
 * {@code moe_topk_f32} (bias, top-k, softmax of the selected logits) writes expert ids and weights
 * to device memory, and {@code matmul_id_*} reads each slot's expert from there at its offset in
 * the layer's expert tensor (MXFP4 read in place), so a layer needs no host round trip. Weights are
 * uploaded once; a step sends token ids in and brings logits (or one argmax id) back.
 *
 * <p>Batched prefill loops slots, not experts: each (token, selected expert) slot reads its
 * expert's rows, so two tokens routed to the same expert read it twice (the engine's CPU pass
 * groups tokens per expert instead). Correctness first; decode, one token, reads every selected
 * expert exactly once either way.
 */
public final class CudaGptOssForwardPass extends CudaDecoderPass {
    /**
     * gpt-oss's clamped SwiGLU constants (the engine's MixtureOfExperts.ALPHA and LIMIT, which are
     * package-private there; the model card's swiglu_limit 7.0 and sigmoid scale 1.702).
     */
    static final float SWIGLU_ALPHA = 1.702f;
    static final float SWIGLU_LIMIT = 7f;

    private final GptOssConfig c;
    private final GptOssWeights w;
    private final LayerBuffers[] layers;
    private final DeviceBuffer routerLogits;
    private final DeviceBuffer expertIds;
    private final DeviceBuffer expertWeights;
    private final DeviceBuffer gate;
    private final DeviceBuffer up;
    private final DeviceBuffer down;

    /** One layer's small float vectors on the device. */
    private record LayerBuffers(DeviceBuffer attnNorm, DeviceBuffer bq, DeviceBuffer bk, DeviceBuffer bv,
                                DeviceBuffer bo, DeviceBuffer sinks, DeviceBuffer postAttnNorm, DeviceBuffer routerBias,
                                DeviceBuffer gateBias, DeviceBuffer upBias, DeviceBuffer downBias) {
    }

    /**
     * Plans, checks the fit, allocates and uploads. Takes ownership of {@code cx}: on failure it is
     * closed (every allocation freed) before the exception propagates.
     *
     * @throws UnsupportedModelException when the model does not fit, has a weight type without a
     *                                   kernel, or more experts than the selection kernel ranks
     */
    public static CudaGptOssForwardPass open(CudaContext cx, GptOssModel model, int contextLength, int maxBatch) {
        return closingOnFailure(cx, () -> new CudaGptOssForwardPass(cx, model, contextLength, maxBatch));
    }

    private CudaGptOssForwardPass(CudaContext cx, GptOssModel model, int contextLength, int maxBatch) {
        checkSupported(model);
        GptOssConfig config = model.config();
        GptOssWeights weights = model.weights();
        super(cx, config.shape(), DeviceMemoryPlan.forGptOss(config, weights, contextLength, maxBatch),
                model.file().path().getFileName().toString(), contextLength, maxBatch, weights.tokenEmbedding(),
                weights.output(), weights.outputNorm(), RopeTable.of(config, contextLength));
        this.c = config;
        this.w = weights;
        this.layers = new LayerBuffers[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            GptOssWeights.Layer layer = w.layers().get(l);
            for (Tensor t : new Tensor[] {layer.wq(), layer.wk(), layer.wv(), layer.wo(), layer.router()}) {
                upload(t);
            }
            layer.experts().forEach(this::upload);
            String p = "blk." + l + ".";
            layers[l] = new LayerBuffers(floats(p + "attn_norm.weight", layer.attnNorm()),
                    floats(p + "attn_q.bias", layer.bq()), floats(p + "attn_k.bias", layer.bk()),
                    floats(p + "attn_v.bias", layer.bv()), floats(p + "attn_output.bias", layer.bo()),
                    floats(p + "attn_sinks.weight", layer.sinks()),
                    floats(p + "post_attention_norm.weight", layer.postAttnNorm()),
                    floats(p + "ffn_gate_inp.bias", layer.routerBias()),
                    floats(p + "ffn_gate_exps.bias", layer.gateBias()), floats(p + "ffn_up_exps.bias", layer.upBias()),
                    floats(p + "ffn_down_exps.bias", layer.downBias()));
        }
        long slots = (long) maxBatch * c.expertsUsed();
        this.routerLogits = cx.alloc("router logits", 4L * maxBatch * c.experts());
        this.expertIds = cx.alloc("expert ids", 4L * slots);
        this.expertWeights = cx.alloc("expert weights", 4L * slots);
        this.gate = cx.alloc("gate", 4L * slots * c.expertFfnDim());
        this.up = cx.alloc("up", 4L * slots * c.expertFfnDim());
        this.down = cx.alloc("down", 4L * slots * c.dim());
        cx.synchronize();
    }

    /**
     * What the device kernels cannot run, refused before anything is allocated: a weight type
     * without a kernel, more experts (or experts per token) than {@code moe_topk_f32} handles.
     */
    public static void checkSupported(GptOssModel model) {
        GptOssConfig c = model.config();
        for (Tensor t : model.weights().denseMatrices()) {
            if (CudaKernel.matmul(t.type()).isEmpty()) {
                throw new UnsupportedModelException("tensor '" + t.name() + "' of " + model.file().path() + " is "
                        + t.type() + ", which the CUDA backend has no kernel for (supported: " + CudaKernel.matmulTypes() + ")");
            }
        }
        Tensor emb = model.weights().tokenEmbedding();
        if (CudaKernel.getRows(emb.type()).isEmpty()) {
            throw new UnsupportedModelException("tensor '" + emb.name() + "' of " + model.file().path() + " is "
                    + emb.type() + ", which the CUDA backend has no embedding kernel for");
        }
        for (GptOssWeights.Layer l : model.weights().layers()) {
            for (Tensor t : l.experts()) {
                if (CudaKernel.matmulId(t.type()).isEmpty()) {
                    throw new UnsupportedModelException("expert tensor '" + t.name() + "' of " + model.file().path()
                            + " is " + t.type() + ", which the CUDA expert matmul has no kernel for (supported: "
                            + CudaKernel.matmulTypes() + ")");
                }
            }
        }
        if (c.experts() > LaunchGeometry.MAX_MOE_EXPERTS || c.expertsUsed() > LaunchGeometry.MAX_MOE_USED) {
            throw new UnsupportedModelException(model.file().path() + " has " + c.experts() + " experts with "
                    + c.expertsUsed() + " used per token; the CUDA expert selection ranks at most "
                    + LaunchGeometry.MAX_MOE_EXPERTS + " and selects at most " + LaunchGeometry.MAX_MOE_USED);
        }
    }

    @Override
    protected String detail() {
        String experts = w.layers().isEmpty() ? "-" : w.layers().getFirst().experts().getFirst().type().name();
        return String.format(Locale.ROOT, "gpt-oss MoE on the device (%s experts read in place, top-%d of %d), ",
                experts, c.expertsUsed(), c.experts());
    }

    @Override
    protected void layers(int n, int pos) {
        for (int l = 0; l < c.layers(); l++) {
            attention(l, n, pos);
            ops.add(x.pointer(), xb.pointer(), n * c.dim());
            ops.rmsnorm(xb.pointer(), x.pointer(), layers[l].postAttnNorm().pointer(), c.dim(), c.rmsEps(), n);
            moe(l, n);
        }
    }

    /** Pre-norm attention with biases and sinks; leaves the block's output (before the residual add) in xb. */
    private void attention(int l, int n, int pos) {
        GptOssWeights.Layer layer = w.layers().get(l);
        LayerBuffers b = layers[l];
        int kvDim = c.kvDim();
        DevicePointer kAt = keysAt(l, pos);
        DevicePointer vAt = valuesAt(l, pos);
        ops.rmsnorm(xb.pointer(), x.pointer(), b.attnNorm().pointer(), c.dim(), c.rmsEps(), n);
        matmul(layer.wq(), xb.pointer(), q.pointer(), n);
        matmul(layer.wk(), xb.pointer(), kAt, n);
        matmul(layer.wv(), xb.pointer(), vAt, n);
        ops.addBias(q.pointer(), b.bq().pointer(), c.qDim(), n);
        ops.addBias(kAt, b.bk().pointer(), kvDim, n);
        ops.addBias(vAt, b.bv().pointer(), kvDim, n);
        ops.rope(q.pointer(), cos.pointer(), sin.pointer(), n, c.heads(), c.qDim(), c.headDim(), c.ropeDim(), pos,
                Rope.Layout.NEOX);
        ops.rope(kAt, cos.pointer(), sin.pointer(), n, c.kvHeads(), kvDim, c.headDim(), c.ropeDim(), pos,
                Rope.Layout.NEOX);
        int window = c.isSliding(l) ? c.slidingWindow() : 0;
        ops.attention(att.pointer(), q.pointer(), layerKeys(l), layerValues(l), b.sinks().pointer(), c.heads(),
                c.kvHeads(), c.headDim(), pos, n, window, attnScale, contextLength);
        matmul(layer.wo(), att.pointer(), xb.pointer(), n);
        ops.addBias(xb.pointer(), b.bo().pointer(), c.dim(), n);
    }

    /**
     * The mixture of experts of layer {@code l} on the normalized rows in xb, added to x: router,
     * selection, gate/up of the selected experts with their biases, swiglu_oai, down with its bias,
     * the weighted sum.
     */
    private void moe(int l, int n) {
        GptOssWeights.Layer layer = w.layers().get(l);
        LayerBuffers b = layers[l];
        int k = c.expertsUsed();
        int ffn = c.expertFfnDim();
        int slots = n * k;
        matmul(layer.router(), xb.pointer(), routerLogits.pointer(), n);
        ops.moeTopK(routerLogits.pointer(), b.routerBias().pointer(), c.experts(), k, expertIds.pointer(),
                expertWeights.pointer(), n);
        Tensor gateExps = layer.experts().get(0);
        Tensor upExps = layer.experts().get(1);
        Tensor downExps = layer.experts().get(2);
        ops.matmulId(gateExps.type(), weight(gateExps), expertIds.pointer(), xb.pointer(), gate.pointer(), ffn,
                c.dim(), slots, k);
        ops.matmulId(upExps.type(), weight(upExps), expertIds.pointer(), xb.pointer(), up.pointer(), ffn, c.dim(),
                slots, k);
        ops.addId(gate.pointer(), b.gateBias().pointer(), expertIds.pointer(), ffn, slots);
        ops.addId(up.pointer(), b.upBias().pointer(), expertIds.pointer(), ffn, slots);
        ops.swigluOai(gate.pointer(), up.pointer(), slots * ffn, SWIGLU_ALPHA, SWIGLU_LIMIT);
        ops.matmulId(downExps.type(), weight(downExps), expertIds.pointer(), gate.pointer(), down.pointer(),
                c.dim(), ffn, slots, 1);
        ops.addId(down.pointer(), b.downBias().pointer(), expertIds.pointer(), c.dim(), slots);
        ops.moeWeightedSum(x.pointer(), down.pointer(), expertWeights.pointer(), c.dim(), k, n);
    }
}
