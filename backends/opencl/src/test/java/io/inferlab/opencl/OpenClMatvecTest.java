package io.inferlab.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;

/** The benchmarks' entry: the device product of every type against the scalar reference, and its lifecycle. */
@EnabledIf(value = "io.inferlab.opencl.OpenClTestDevice#available", disabledReason = OpenClTestDevice.SKIP_REASON)
class OpenClMatvecTest {

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void everyTypeMatchesTheScalarReference(GgmlType type) {
        SplittableRandom random = new SplittableRandom(type.ordinal());
        Tensor w = OpenClTestDevice.tensor(type, 45, 96, random);
        float[] x = OpenClTestDevice.floats(96, random);
        float[] want = new float[45];
        new ScalarKernels().matvec(w, x, want);
        int before = DeviceArena.live();
        try (OpenClMatvec m = OpenClMatvec.open(w, x)) {
            m.run();
            float[] got = m.output();
            for (int r = 0; r < want.length; r++) {
                double tol = Mxfp4KernelsTest.DOT_TOLERANCE * OpenClTestDevice.absDot(w, r, x, 0) + 1e-7;
                assertTrue(Math.abs(got[r] - want[r]) <= tol, type + " row " + r + ": " + got[r] + " vs " + want[r]);
            }
            assertEquals(w.data().byteSize() + (96 + 45) * Float.BYTES, m.deviceMemoryBytes());
            assertTrue(m.description().startsWith("OpenCL "), m.description());
        }
        assertEquals(before, DeviceArena.live(), "closing releases the buffers, kernels and queue");
    }

    @Test
    void anInputOfTheWrongLengthIsRejected() {
        Tensor w = OpenClTestDevice.tensor(GgmlType.F32, 4, 8, new SplittableRandom(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenClMatvec.open(w, new float[7]));
        assertTrue(e.getMessage().contains("7 values for a matrix of 8 columns"), e.getMessage());
    }
}
