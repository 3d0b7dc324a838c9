package io.inferlab.engine.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.inferlab.api.ModelFormatException;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.Tensor;

/**
 * The tensors of a gpt-oss model by llama.cpp's GGUF names, checked against the config's shapes.
 * Matrices stay in the mapped file in their GGML type; biases, norms and sinks (small) are read
 * into floats. The experts of a layer are one 3-D tensor per projection ({@code [cols, rows,
 * experts]}); each expert is exposed as a 2-D {@link Tensor} over its own slice of that data, so
 * a token's forward pass touches only the experts it is routed to.
 */
public record GptOssWeights(Tensor tokenEmbedding, float[] outputNorm, Tensor output, boolean tiedOutput,
                            List<Layer> layers) {

    /**
     * One block ({@code blk.N.*}).
     *
     * @param sinks       one attention-sink logit per query head ({@code attn_sinks.weight})
     * @param router      {@code ffn_gate_inp.weight}: one row of logits weights per expert
     * @param gateExperts expert e's gate projection, {@code [dim] -> [expertFfnDim]}
     * @param gateBias    {@code expertFfnDim} biases per expert, expert e's at {@code e * expertFfnDim}
     * @param downBias    {@code dim} biases per expert, expert e's at {@code e * dim}
     * @param experts     the three 3-D expert tensors as stored (gate, up, down)
     */
    public record Layer(float[] attnNorm, Tensor wq, float[] bq, Tensor wk, float[] bk, Tensor wv, float[] bv,
                        Tensor wo, float[] bo, float[] sinks, float[] postAttnNorm, Tensor router, float[] routerBias,
                        Tensor[] gateExperts, float[] gateBias, Tensor[] upExperts, float[] upBias,
                        Tensor[] downExperts, float[] downBias, List<Tensor> experts) {
    }

    public static GptOssWeights from(GgufFile f, GptOssConfig c) {
        Tensor emb = matrix(f, "token_embd.weight", c.dim(), c.vocabSize());
        boolean tied = f.tensorInfo("output.weight").isEmpty();
        Tensor out = tied ? emb : matrix(f, "output.weight", c.dim(), c.vocabSize());
        float[] outNorm = vector(f, "output_norm.weight", c.dim());
        int ffn = c.expertFfnDim();
        int n = c.experts();
        List<Layer> layers = new ArrayList<>(c.layers());
        for (int i = 0; i < c.layers(); i++) {
            String p = "blk." + i + ".";
            Tensor gate = experts(f, p + "ffn_gate_exps.weight", c.dim(), ffn, n);
            Tensor up = experts(f, p + "ffn_up_exps.weight", c.dim(), ffn, n);
            Tensor down = experts(f, p + "ffn_down_exps.weight", ffn, c.dim(), n);
            layers.add(new Layer(
                    vector(f, p + "attn_norm.weight", c.dim()),
                    matrix(f, p + "attn_q.weight", c.dim(), c.qDim()),
                    vector(f, p + "attn_q.bias", c.qDim()),
                    matrix(f, p + "attn_k.weight", c.dim(), c.kvDim()),
                    vector(f, p + "attn_k.bias", c.kvDim()),
                    matrix(f, p + "attn_v.weight", c.dim(), c.kvDim()),
                    vector(f, p + "attn_v.bias", c.kvDim()),
                    matrix(f, p + "attn_output.weight", c.qDim(), c.dim()),
                    vector(f, p + "attn_output.bias", c.dim()),
                    vector(f, p + "attn_sinks.weight", c.heads()),
                    vector(f, p + "post_attention_norm.weight", c.dim()),
                    matrix(f, p + "ffn_gate_inp.weight", c.dim(), n),
                    vector(f, p + "ffn_gate_inp.bias", n),
                    slices(gate), perExpert(f, p + "ffn_gate_exps.bias", ffn, n),
                    slices(up), perExpert(f, p + "ffn_up_exps.bias", ffn, n),
                    slices(down), perExpert(f, p + "ffn_down_exps.bias", c.dim(), n),
                    List.of(gate, up, down)));
        }
        return new GptOssWeights(emb, outNorm, out, tied, List.copyOf(layers));
    }

    /**
     * Every matrix the forward pass multiplies by, once: attention, routers, every expert's three
     * (the per-expert slices it multiplies, not the 3-D tensors they slice: host kernels prepare
     * copies of exactly these), output.
     */
    public List<Tensor> matrices() {
        List<Tensor> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(List.of(l.wq, l.wk, l.wv, l.wo, l.router));
            all.addAll(Arrays.asList(l.gateExperts));
            all.addAll(Arrays.asList(l.upExperts));
            all.addAll(Arrays.asList(l.downExperts));
        }
        all.add(output);
        return all;
    }

    /** The matrices one token reads apart from its experts (attention, routers, output). */
    public List<Tensor> denseMatrices() {
        List<Tensor> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(List.of(l.wq, l.wk, l.wv, l.wo, l.router));
        }
        all.add(output);
        return all;
    }

    /** Expert {@code e} of a {@code [cols, rows, experts]} tensor as a {@code [cols, rows]} matrix over its slice. */
    static Tensor expert(Tensor all, int e) {
        long[] s = all.shape();
        long bytes = all.data().byteSize() / s[2];
        return new Tensor(all.name() + "[" + e + "]", all.type(), new long[] {s[0], s[1]},
                all.data().asSlice(e * bytes, bytes));
    }

    private static Tensor[] slices(Tensor all) {
        Tensor[] out = new Tensor[Math.toIntExact(all.shape()[2])];
        for (int e = 0; e < out.length; e++) {
            out[e] = expert(all, e);
        }
        return out;
    }

    private static Tensor experts(GgufFile f, String name, int cols, int rows, int experts) {
        Tensor t = f.tensor(name);
        long[] s = t.shape();
        if (s.length != 3 || s[0] != cols || s[1] != rows || s[2] != experts) {
            throw new ModelFormatException(f.path(), "tensor '" + name + "' has shape " + Arrays.toString(s)
                    + ", expected [" + cols + ", " + rows + ", " + experts + "] from the metadata");
        }
        return t;
    }

    private static float[] perExpert(GgufFile f, String name, int n, int experts) {
        Tensor t = f.tensor(name);
        long[] s = t.shape();
        if (s.length != 2 || s[0] != n || s[1] != experts) {
            throw new ModelFormatException(f.path(), "tensor '" + name + "' has shape " + Arrays.toString(s)
                    + ", expected [" + n + ", " + experts + "] from the metadata");
        }
        return Formats.toFloats(t);
    }

    private static Tensor matrix(GgufFile f, String name, int cols, int rows) {
        Tensor t = f.tensor(name);
        long[] s = t.shape();
        if (s.length != 2 || s[0] != cols || s[1] != rows) {
            throw new ModelFormatException(f.path(), "tensor '" + name + "' has shape " + Arrays.toString(s)
                    + ", expected [" + cols + ", " + rows + "] from the metadata");
        }
        return t;
    }

    private static float[] vector(GgufFile f, String name, int n) {
        Tensor t = f.tensor(name);
        long[] s = t.shape();
        if (t.elementCount() != n || s[0] != n) {
            throw new ModelFormatException(f.path(), "tensor '" + name + "' has shape " + Arrays.toString(s)
                    + ", expected [" + n + "]");
        }
        return Formats.toFloats(t);
    }
}
