package io.inferlab.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.inferlab.api.BackendUnavailableException;
import io.inferlab.cuda.CudaDiscovery;
import io.inferlab.cuda.CudaProbe;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;
import io.inferlab.engine.tensor.Tensor;

/**
 * MatvecBench's targets compute the product they time: each against the scalar reference on an
 * MXFP4 and a Q8_0 matrix (the {@code opencl} and {@code cuda} targets where this host has the
 * platform, skipped with the probe's reason elsewhere).
 */
class MatvecTargetTest {
    /** |target - reference| <= 1e-5 * sum |w x| + 1e-6: float sums in another order (lanes, vectors). */
    static final double TOLERANCE = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference", "opencl", "cuda"})
    void everyTargetComputesTheReferenceProduct(String backend) {
        for (GgmlType type : new GgmlType[] {GgmlType.MXFP4, GgmlType.Q8_0}) {
            SplittableRandom random = new SplittableRandom(type.ordinal());
            int rows = 40;
            int cols = 160;
            float[] values = new float[rows * cols];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextDouble(-1, 1);
            }
            Tensor w = new Tensor("w", type, new long[] {cols, rows}, MemorySegment.ofArray(Quantizer.quantize(type, values)));
            float[] x = new float[cols];
            for (int i = 0; i < cols; i++) {
                x[i] = (float) random.nextDouble(-1, 1);
            }
            float[] want = new float[rows];
            new ScalarKernels().matvec(w, x, want);
            MatvecTarget target;
            try {
                target = MatvecTarget.open(backend, w, x);
            } catch (BackendUnavailableException e) {
                Assumptions.abort(e.getMessage());
                return;
            }
            try (target) {
                target.matvec();
                float[] got = target.output();
                for (int r = 0; r < rows; r++) {
                    double scale = 0;
                    for (int c = 0; c < cols; c++) {
                        scale += Math.abs(values[r * cols + c] * x[c]);
                    }
                    assertTrue(Math.abs(got[r] - want[r]) <= TOLERANCE * scale + 1e-6,
                            backend + " " + type + " row " + r + ": " + got[r] + " vs " + want[r]);
                }
                assertEquals(backend.equals("opencl") || backend.equals("cuda"), target.deviceMemoryBytes() > 0,
                        backend + " device memory");
            }
        }
    }

    /** Without a CUDA driver (CI, this development machine) the target says why, as the probe does. */
    @Test
    void cudaWithoutADeviceIsUnavailableWithTheProbesReason() {
        if (!(CudaProbe.discover() instanceof CudaDiscovery.Failed failed)) {
            Assumptions.abort("this host has a CUDA device");
            return;
        }
        Tensor w = new Tensor("w", GgmlType.F32, new long[] {8, 1}, MemorySegment.ofArray(new byte[32]));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> MatvecTarget.open("cuda", w, new float[8]));
        assertEquals("backend 'cuda' is unavailable here: " + failed.reason(), e.getMessage());
    }

    @Test
    void anUnknownBackendNamesTheKnownOnes() {
        Tensor w = new Tensor("w", GgmlType.F32, new long[] {8, 1}, MemorySegment.ofArray(new byte[32]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MatvecTarget.open("metal", w, new float[8]));
        assertTrue(e.getMessage().contains("no matvec target for backend 'metal' (known: cpu, opencl, cuda, reference)"),
                e.getMessage());
    }
}
