package io.inferlab.opencl;

import static io.inferlab.opencl.OpenClOpsTest.assertClose;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.jocl.cl_mem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * attention_sinks.cl (gpt-oss attention) against the engine's semantics computed with the
 * scalar kernels, as the engine's Kernels.attend does it: scores over the visible positions, the
 * head's sink as one more softmax logit without a value, the weighted sum of the values. Window
 * edges: a window of 1 (only the current position), windows that clip some tokens of the batch
 * and not others, a window longer than the context (= full attention), and full attention
 * (window 0); sinks that dominate, vanish or sit among the scores.
 */
@EnabledIf(value = "io.inferlab.opencl.OpenClTestDevice#available", disabledReason = OpenClTestDevice.SKIP_REASON)
class AttentionSinksKernelTest extends DeviceKernelTest {
    /** As OpenClOpsTest.ATTENTION_TOLERANCE: a softmax and a weighted sum of values in [-1, 1] over up to 50 positions. */
    static final double TOLERANCE = 1e-5;

    @ParameterizedTest(name = "window {0}, pos0 {1}, tokens {2}, sink scale {3}")
    @CsvSource({
            "0, 11, 9, 1",     // full attention, sinks among the scores
            "1, 11, 9, 1",     // each token sees only itself
            "8, 3, 9, 1",      // tokens 0..4 see everything, 5..8 are clipped to 8 positions
            "8, 0, 1, 1",      // a single first token
            "64, 11, 9, 1",    // a window longer than the context: full attention
            "5, 30, 12, 20",   // sinks of +-20: the sink takes nearly all mass or none
            "16, 40, 10, 0",   // sinks of 0
    })
    void matchesTheScalarReference(int window, int pos0, int tokens, float sinkScale) {
        int heads = 6;
        int kvHeads = 2;
        int headDim = 20; // not a multiple of 8: the scalar tail of the weighted sum
        int ctx = 50;
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        float scale = (float) (1 / Math.sqrt(headDim));
        SplittableRandom random = new SplittableRandom(window * 131L + pos0);
        float[] q = OpenClTestDevice.floats(tokens * qDim, random);
        float[] keys = OpenClTestDevice.floats(ctx * kvDim, random);
        float[] values = OpenClTestDevice.floats(ctx * kvDim, random);
        float[] sinks = OpenClTestDevice.floats(heads, random);
        for (int h = 0; h < heads; h++) {
            sinks[h] = sinkScale == 20 ? (h % 2 == 0 ? 20f : -20f) : sinks[h] * sinkScale;
        }
        cl_mem out = arena.buffer("out", (long) tokens * qDim * Float.BYTES);
        ops.attentionSinks(arena.upload("q", q), arena.upload("k", keys), arena.upload("v", values),
                arena.upload("sinks", sinks), arena.buffer("scores", (long) tokens * heads * ctx * Float.BYTES), out,
                heads, kvHeads, headDim, ctx, pos0, tokens, window, scale);
        float[] got = new float[tokens * qDim];
        ops.readFloats(out, 0, got, got.length);

        float[] want = new float[tokens * qDim];
        float[] scores = new float[ctx + 1];
        for (int t = 0; t < tokens; t++) {
            int last = pos0 + t;
            int first = window > 0 ? Math.max(0, last - window + 1) : 0;
            int n = last - first + 1;
            for (int h = 0; h < heads; h++) {
                int qOff = t * qDim + h * headDim;
                int kvOff = (h / (heads / kvHeads)) * headDim;
                for (int p = first; p <= last; p++) {
                    scores[p - first] = ref.dot(q, qOff, keys, p * kvDim + kvOff, headDim) * scale;
                }
                scores[n] = sinks[h];
                ref.softmax(scores, 0, n + 1);
                Arrays.fill(want, qOff, qOff + headDim, 0f);
                for (int p = first; p <= last; p++) {
                    ref.axpy(scores[p - first], values, p * kvDim + kvOff, want, qOff, headDim);
                }
            }
        }
        assertClose(want, got, TOLERANCE, "attention with sinks, window " + window);
    }
}
