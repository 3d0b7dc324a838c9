package io.inferlab.engine.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.inferlab.api.ModelFormatException;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.Tensor;

/**
 * The tensors of a llama model, by llama.cpp's GGUF names, checked against the config's shapes.
 * Matrices stay in the mapped file in their GGML type; norm weights (small) are read into floats.
 */
public record LlamaWeights(Tensor tokenEmbedding, float[] outputNorm, Tensor output, boolean tiedOutput,
                           float[] ropeFreqs, List<Layer> layers) {

    /** One transformer block's weights ({@code blk.N.*}). */
    public record Layer(float[] attnNorm, Tensor wq, Tensor wk, Tensor wv, Tensor wo, float[] ffnNorm,
                        Tensor ffnGate, Tensor ffnUp, Tensor ffnDown) {
    }

    public static LlamaWeights from(GgufFile f, LlamaConfig c) {
        Tensor emb = matrix(f, "token_embd.weight", c.dim(), c.vocabSize());
        boolean tied = f.tensorInfo("output.weight").isEmpty();
        Tensor out = tied ? emb : matrix(f, "output.weight", c.dim(), c.vocabSize());
        float[] outNorm = vector(f, "output_norm.weight", c.dim());
        float[] ropeFreqs = f.tensorInfo("rope_freqs.weight").isPresent()
                ? vector(f, "rope_freqs.weight", c.ropeDim() / 2) : null;
        List<Layer> layers = new ArrayList<>(c.layers());
        for (int i = 0; i < c.layers(); i++) {
            String p = "blk." + i + ".";
            layers.add(new Layer(
                    vector(f, p + "attn_norm.weight", c.dim()),
                    matrix(f, p + "attn_q.weight", c.dim(), c.qDim()),
                    matrix(f, p + "attn_k.weight", c.dim(), c.kvDim()),
                    matrix(f, p + "attn_v.weight", c.dim(), c.kvDim()),
                    matrix(f, p + "attn_output.weight", c.qDim(), c.dim()),
                    vector(f, p + "ffn_norm.weight", c.dim()),
                    matrix(f, p + "ffn_gate.weight", c.dim(), c.ffnDim()),
                    matrix(f, p + "ffn_up.weight", c.dim(), c.ffnDim()),
                    matrix(f, p + "ffn_down.weight", c.ffnDim(), c.dim())));
        }
        return new LlamaWeights(emb, outNorm, out, tied, ropeFreqs, List.copyOf(layers));
    }

    /** Every matrix the forward pass multiplies by, once (the embedding only when tied as output). */
    public List<Tensor> matrices() {
        List<Tensor> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(List.of(l.wq, l.wk, l.wv, l.wo, l.ffnGate, l.ffnUp, l.ffnDown));
        }
        all.add(output);
        return all;
    }

    private static Tensor matrix(GgufFile f, String name, int cols, int rows) {
        Tensor t = f.tensor(name);
        expectShape(f.path(), t, cols, rows);
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

    private static void expectShape(Path file, Tensor t, int cols, int rows) {
        long[] s = t.shape();
        if (s.length != 2 || s[0] != cols || s[1] != rows) {
            throw new ModelFormatException(file, "tensor '" + t.name() + "' has shape " + Arrays.toString(s)
                    + ", expected [" + cols + ", " + rows + "] from the metadata");
        }
    }
}
