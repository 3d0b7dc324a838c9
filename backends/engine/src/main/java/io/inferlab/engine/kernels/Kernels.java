package io.inferlab.engine.kernels;

import java.util.Arrays;

import io.inferlab.engine.tensor.Tensor;

/**
 * The compute operations of the transformer forward pass on the host. {@link ScalarKernels} is
 * the plain reference; faster implementations (the CPU backend's Vector API kernels) are tested
 * against it op by op. Activations are {@code float[]} with explicit offsets; weights are
 * {@link Tensor}s in any supported GGML type, read in place.
 */
public interface Kernels extends AutoCloseable {

    /** Short description for results, e.g. "scalar reference" or "Vector API 512-bit, 2 threads". */
    String description();

    /**
     * Batched matrix-vector product: for each of {@code batch} input rows,
     * {@code out[b * rows + r] = sum_c w[r][c] * x[b * cols + c]} where {@code w} has
     * {@code rows = w.rows()} rows of {@code cols = w.cols()} values.
     */
    void matmul(Tensor w, float[] x, float[] out, int batch);

    /**
     * {@link #matmul} of each {@code ws[i]} into {@code outs[i]}, all with the same input
     * {@code x} (a block's query, key and value projections; its FFN gate and up). Results are
     * those of the separate calls, bit for bit; implementations may run the products as one (the
     * CPU kernels decode them in one dispatch, preparing the input once). The caller keeps the
     * arrays, so a decode step allocates nothing. The default makes the calls one after another.
     */
    default void matmuls(Tensor[] ws, float[] x, float[][] outs, int batch) {
        if (ws.length != outs.length) {
            throw new IllegalArgumentException(ws.length + " matrices but " + outs.length + " outputs");
        }
        for (int i = 0; i < ws.length; i++) {
            matmul(ws[i], x, outs[i], batch);
        }
    }

    /**
     * Called once per weight matrix when a model is loaded, before any {@link #matmul} with it.
     * Implementations may keep their own copy of the weight here, in a faster layout (the CPU
     * kernels interleave Q4_0 blocks so that each vector lane holds one block) or in faster
     * memory (native memory instead of the file mapping); the tensor itself is never changed,
     * and results must not depend on whether this was called. The default does nothing.
     */
    default void prepare(Tensor w) {
    }

    /**
     * Called once for a tensor the forward pass only reads rows of with {@link #getRow} (the token
     * embedding), after {@link #prepare} of every matrix (so also after that of the same tensor,
     * when the embedding is tied as output), with the same freedom. The default does nothing.
     */
    default void prepareLookup(Tensor w) {
    }

    /** {@link #matmul} for one vector. */
    default void matvec(Tensor w, float[] x, float[] out) {
        matmul(w, x, out, 1);
    }

    /** Work over indices, told which worker runs it so that it can use that worker's scratch. */
    @FunctionalInterface
    interface IndexTask {
        void run(int worker, int index);
    }

    /** How many workers {@link #parallelFor} may run at once (worker numbers are 0 up to this, exclusive). */
    default int parallelism() {
        return 1;
    }

    /**
     * Runs {@code task} for every index in {@code [0, n)} and returns when all are done. Indices may
     * run on several threads at once and in any order, so each must write only what it owns, and
     * the task may call {@link #dot}, {@link #axpy}, {@link #rmsnorm}, {@link #softmax} and
     * {@link #attend} (which implementations keep free of shared state) but no other op. The
     * default runs the indices in order on the caller, as worker 0.
     */
    default void parallelFor(int n, IndexTask task) {
        for (int i = 0; i < n; i++) {
            task.run(0, i);
        }
    }

    /** Row {@code row} of {@code w}, dequantized into {@code out[off .. off + w.cols())} (embedding lookup). */
    void getRow(Tensor w, int row, float[] out, int off);

    /** {@code sum_i a[aOff + i] * b[bOff + i]} over {@code n} values. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** {@code y[yOff + i] += alpha * x[xOff + i]} over {@code n} values. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** RMSNorm: {@code out = x / sqrt(mean(x^2) + eps) * weight} over {@code n} values. */
    void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps);

    /**
     * Numerically stable softmax in place over {@code x[off .. off + n)}. Over attention scores
     * (at most the context length) it is cheap next to the matmuls, so this reference loop (in
     * index order) serves every host backend unless one overrides it.
     */
    default void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        float sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = 0; i < n; i++) {
            x[off + i] *= inv;
        }
    }

    /**
     * {@code heads} query heads that share one KV head attending to its positions
     * {@code first..last}: query head {@code j} at {@code q[qOff + j * headDim ..]}, and each
     * position's key and value at {@code p * kvDim + kvOff} of {@code keys} and {@code values}.
     * For each head, the scores {@code q.k * scale} go through a softmax, and their weighted sum
     * of the values is written to {@code out[outOff + j * headDim ..]} ({@code headDim} floats).
     *
     * <p>With {@code sinks} (null for none), head {@code j}'s sink logit {@code sinks[sinkOff + j]}
     * (gpt-oss's per-head learned logit, as llama.cpp's soft_max_ext applies it) joins its softmax
     * as one more logit that has no value: it takes probability mass from the real positions and
     * adds nothing to the output.
     *
     * <p>The default is the reference, head by head: {@link #dot} per position, {@link #softmax},
     * then {@link #axpy} per position in order. Implementations may fuse the steps and share each
     * key and value between the heads; the CPU kernels do, with each head's arithmetic in the
     * reference's order.
     *
     * @param scores scratch of at least {@code heads * (last - first + 2)} floats
     */
    default void attend(float[] q, int qOff, int heads, float[] keys, float[] values, int kvDim, int kvOff, int headDim,
                        int first, int last, float scale, float[] sinks, int sinkOff, float[] scores, float[] out,
                        int outOff) {
        int n = last - first + 1;
        for (int j = 0; j < heads; j++) {
            int s = j * (n + 1); // this head's scores, and room for its sink
            int qj = qOff + j * headDim;
            for (int p = first; p <= last; p++) {
                scores[s + p - first] = dot(q, qj, keys, p * kvDim + kvOff, headDim) * scale;
            }
            if (sinks == null) {
                softmax(scores, s, n);
            } else {
                scores[s + n] = sinks[sinkOff + j]; // the sink's share is computed and then ignored
                softmax(scores, s, n + 1);
            }
            int o = outOff + j * headDim;
            Arrays.fill(out, o, o + headDim, 0f);
            for (int p = first; p <= last; p++) {
                axpy(scores[s + p - first], values, p * kvDim + kvOff, out, o, headDim);
            }
        }
    }

    /** SwiGLU in place: {@code gate[i] = silu(gate[i]) * up[i]} for {@code i < n}, silu(g) = g / (1 + e^-g). */
    void swiglu(float[] gate, float[] up, int n);

    /**
     * gpt-oss's clamped SwiGLU in place, as llama.cpp's swiglu_oai defines it: with
     * {@code g = min(gate[i], limit)} and {@code u = clamp(up[i], -limit, limit)},
     * {@code gate[i] = g / (1 + e^(-alpha g)) * (u + 1)}. gpt-oss uses alpha 1.702 and limit 7.
     * Element-wise and cheap next to the matmuls around it, so this reference loop serves every
     * host backend unless one overrides it.
     */
    default void swigluClamped(float[] gate, float[] up, int n, float alpha, float limit) {
        for (int i = 0; i < n; i++) {
            float g = Math.min(gate[i], limit);
            float u = Math.max(-limit, Math.min(up[i], limit));
            gate[i] = g / (1f + (float) Math.exp(-alpha * g)) * (u + 1f);
        }
    }

    /** Frees threads and buffers. */
    @Override
    void close();
}
