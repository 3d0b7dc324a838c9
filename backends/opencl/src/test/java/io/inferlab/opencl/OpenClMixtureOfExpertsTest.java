package io.inferlab.opencl;

import java.util.SplittableRandom;

import org.jocl.cl_mem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.inferlab.engine.model.GptOssConfig;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;

/**
 * The device mixture of experts against the engine's semantics computed token by token with the
 * scalar kernels: router logits plus bias, top-k, softmax over the selected logits, per expert
 * gate/up plus biases, clamped SwiGLU, down plus bias, the weighted sum. MXFP4 experts, a batch
 * where several tokens share experts and some experts go unchosen, and a single token (decode).
 */
@EnabledIf(value = "io.inferlab.opencl.OpenClTestDevice#available", disabledReason = OpenClTestDevice.SKIP_REASON)
class OpenClMixtureOfExpertsTest extends DeviceKernelTest {
    /** Relative to the largest output of the token: dot products summed in another order, exp by an ulp or two. */
    static final double TOLERANCE = 1e-5;

    private static final int DIM = 64;
    private static final int EXPERTS = 5;
    private static final int USED = 2;
    private static final int FFN = 96;
    private static final int MAX_BATCH = 9;

    @ParameterizedTest(name = "{0} tokens")
    @ValueSource(ints = {1, 7, MAX_BATCH})
    void matchesTheEnginesSemantics(int n) {
        GptOssConfig c = new GptOssConfig(DIM, 1, 2, 1, 32, EXPERTS, USED, FFN, 300, 128, 1e-5f, 10000f, 32, 1f, null,
                8, new boolean[] {true});
        SplittableRandom random = new SplittableRandom(n);
        Tensor router = OpenClTestDevice.tensor(GgmlType.F32, EXPERTS, DIM, random);
        float[] routerBias = OpenClTestDevice.floats(EXPERTS, random);
        Tensor[] gate = new Tensor[EXPERTS];
        Tensor[] up = new Tensor[EXPERTS];
        Tensor[] down = new Tensor[EXPERTS];
        for (int e = 0; e < EXPERTS; e++) {
            gate[e] = OpenClTestDevice.tensor(GgmlType.MXFP4, FFN, DIM, random);
            up[e] = OpenClTestDevice.tensor(GgmlType.MXFP4, FFN, DIM, random);
            down[e] = OpenClTestDevice.tensor(GgmlType.MXFP4, DIM, FFN, random);
        }
        float[] gateBias = OpenClTestDevice.floats(EXPERTS * FFN, random);
        float[] upBias = OpenClTestDevice.floats(EXPERTS * FFN, random);
        float[] downBias = OpenClTestDevice.floats(EXPERTS * DIM, random);
        float[] x = OpenClTestDevice.floats(n * DIM, random);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 3; // gate and up values past the SwiGLU clamp at 7
        }

        OpenClMixtureOfExperts moe = new OpenClMixtureOfExperts(c, arena, ops, MAX_BATCH);
        OpenClMixtureOfExperts.Experts experts = new OpenClMixtureOfExperts.Experts(upload(router),
                arena.upload("router bias", routerBias), upload(gate), arena.upload("gate bias", gateBias), upload(up),
                arena.upload("up bias", upBias), upload(down), arena.upload("down bias", downBias));
        cl_mem out = arena.buffer("out", (long) MAX_BATCH * DIM * Float.BYTES);
        moe.apply(experts, arena.upload("x", x), out, n);
        float[] got = new float[n * DIM];
        ops.readFloats(out, 0, got, got.length);

        for (int t = 0; t < n; t++) {
            float[] xt = java.util.Arrays.copyOfRange(x, t * DIM, (t + 1) * DIM);
            float[] logits = new float[EXPERTS];
            ref.matvec(router, xt, logits);
            ref.axpy(1f, routerBias, 0, logits, 0, EXPERTS);
            int[] chosen = new int[USED];
            OpenClMixtureOfExperts.topK(logits, 0, EXPERTS, USED, chosen);
            float[] mix = new float[USED];
            for (int j = 0; j < USED; j++) {
                mix[j] = logits[chosen[j]];
            }
            ref.softmax(mix, 0, USED);
            float[] want = new float[DIM];
            for (int j = 0; j < USED; j++) {
                int e = chosen[j];
                float[] g = new float[FFN];
                float[] u = new float[FFN];
                float[] d = new float[DIM];
                ref.matvec(gate[e], xt, g);
                ref.matvec(up[e], xt, u);
                ref.axpy(1f, gateBias, e * FFN, g, 0, FFN);
                ref.axpy(1f, upBias, e * FFN, u, 0, FFN);
                ref.swigluClamped(g, u, FFN, OpenClMixtureOfExperts.SWIGLU_ALPHA, OpenClMixtureOfExperts.SWIGLU_LIMIT);
                ref.matvec(down[e], g, d);
                ref.axpy(1f, downBias, e * DIM, d, 0, DIM);
                ref.axpy(mix[j], d, 0, want, 0, DIM);
            }
            double scale = 0;
            for (float v : want) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < DIM; i++) {
                float g = got[t * DIM + i];
                if (!(Math.abs(g - want[i]) <= TOLERANCE * scale + 1e-6)) {
                    throw new AssertionError("token %d of %d, value %d: expected %s, got %s (experts %s)".formatted(t, n, i,
                            want[i], g, java.util.Arrays.toString(chosen)));
                }
            }
        }
    }

    private DeviceTensor upload(Tensor t) {
        return new DeviceTensor(t.name(), t.type(), t.rows(), t.cols(), arena.upload(t.name(), t.data()));
    }

    private DeviceTensor[] upload(Tensor[] ts) {
        DeviceTensor[] out = new DeviceTensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            out[i] = upload(ts[i]);
        }
        return out;
    }
}
