package io.inferlab.opencl;

import static io.inferlab.opencl.OpenClOpsTest.assertClose;

import java.util.SplittableRandom;

import org.jocl.cl_mem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * swiglu_oai.cl against the engine's Kernels.swigluClamped (gpt-oss: alpha 1.702, limit 7):
 * values on both sides of both clamps (gate above 7 clamped, gate below -7 not; up clamped to
 * [-7, 7]), and the +1 on the linear part.
 */
@EnabledIf(value = "io.inferlab.opencl.OpenClTestDevice#available", disabledReason = OpenClTestDevice.SKIP_REASON)
class SwigluOaiKernelTest extends DeviceKernelTest {
    /** As OpenClOpsTest.ELEMENT_TOLERANCE: the device's exp may differ from Java's by an ulp or two. */
    static final double TOLERANCE = 2e-6;

    @ParameterizedTest
    @ValueSource(ints = {1, 13, 1000})
    void matchesTheClampedReference(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] gate = OpenClTestDevice.floats(n, random);
        float[] up = OpenClTestDevice.floats(n, random);
        for (int i = 0; i < n; i++) {
            gate[i] *= 12; // -12..12: both sides of the clamp at 7
            up[i] *= 12;
        }
        assertClose(expected(gate, up), device(gate, up), TOLERANCE, "swiglu_oai n=" + n);
    }

    @Test
    void clampsAtTheEdges() {
        float[] gate = {7f, 7.5f, 100f, -7f, -100f, 0f, 1f, Math.nextUp(7f), -3f};
        float[] up = {0f, 0f, 0f, 7.5f, -7.5f, 100f, -1f, -100f, 6.99f};
        float[] got = device(gate, up);
        assertClose(expected(gate, up), got, TOLERANCE, "swiglu_oai edges");
        // Gates above the limit give exactly the value at the limit; up = -1 cancels the +1.
        if (got[1] != got[0] || got[2] != got[0] || got[6] != 0f) {
            throw new AssertionError("clamp: " + java.util.Arrays.toString(got));
        }
    }

    private float[] expected(float[] gate, float[] up) {
        float[] want = gate.clone();
        ref.swigluClamped(want, up.clone(), want.length, OpenClMixtureOfExperts.SWIGLU_ALPHA, OpenClMixtureOfExperts.SWIGLU_LIMIT);
        return want;
    }

    private float[] device(float[] gate, float[] up) {
        cl_mem g = arena.buffer("gate", (long) gate.length * Float.BYTES);
        ops.writeFloats(g, gate);
        ops.swigluOai(g, arena.upload("up", up), gate.length, OpenClMixtureOfExperts.SWIGLU_ALPHA, OpenClMixtureOfExperts.SWIGLU_LIMIT);
        float[] got = new float[gate.length];
        ops.readFloats(g, 0, got, got.length);
        return got;
    }
}
