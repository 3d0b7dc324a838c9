package io.inferlab.engine.model;

import java.util.Arrays;

import io.inferlab.engine.kernels.Kernels;

/**
 * Scaled dot-product attention of one query head over a range of cached positions, on any
 * {@link Kernels}: scores q.k * scale, softmax, the weighted sum of the values.
 */
final class Attention {
    /** Marks "no attention sink". */
    static final float NO_SINK = Float.NaN;

    private Attention() {
    }

    /**
     * Attends query {@code q[qOff .. qOff + headDim)} to positions {@code first..last} of one KV head
     * (values {@code kvOff ..} of each cached position) and writes the result to {@code out[outOff..]}.
     *
     * <p>A {@code sink} (gpt-oss's per-head learned logit, as llama.cpp's soft_max_ext applies it)
     * joins the softmax as one more logit that has no value: it takes probability mass from the
     * real positions and adds nothing to the output.
     *
     * @param scores scratch of at least {@code last - first + 2} floats
     */
    static void head(Kernels k, float[] q, int qOff, float[] keys, float[] values, int kvDim, int kvOff,
                     int headDim, int first, int last, float scale, float sink, float[] scores,
                     float[] out, int outOff) {
        int n = last - first + 1;
        for (int p = first; p <= last; p++) {
            scores[p - first] = k.dot(q, qOff, keys, p * kvDim + kvOff, headDim) * scale;
        }
        if (Float.isNaN(sink)) {
            k.softmax(scores, 0, n);
        } else {
            scores[n] = sink; // the sink's share is computed and then ignored
            k.softmax(scores, 0, n + 1);
        }
        Arrays.fill(out, outOff, outOff + headDim, 0f);
        for (int p = first; p <= last; p++) {
            k.axpy(scores[p - first], values, p * kvDim + kvOff, out, outOff, headDim);
        }
    }
}
