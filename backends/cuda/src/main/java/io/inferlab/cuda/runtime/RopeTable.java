package io.inferlab.cuda.runtime;

import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.model.GptOssConfig;
import io.inferlab.engine.model.LlamaConfig;

/**
 * The cos/sin table the rope kernel reads, taken from the engine's own {@link Rope} (so linear
 * scaling, rope_freqs factors and YaRN come out exactly as on the CPU): rotating the unit pair
 * (1, 0) by angle a gives (cos a, sin a).
 */
public final class RopeTable {
    private RopeTable() {
    }

    /** {cos, sin}, each {@code positions * rotDim / 2} floats, position-major. */
    public static float[][] of(Rope rope, int rotDim, int positions) {
        int half = rotDim / 2;
        float[] cos = new float[positions * half];
        float[] sin = new float[positions * half];
        float[] unit = new float[rotDim];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                unit[2 * i] = 1f;
                unit[2 * i + 1] = 0f;
            }
            rope.apply(unit, 0, 1, p);
            for (int i = 0; i < half; i++) {
                cos[p * half + i] = unit[2 * i];
                sin[p * half + i] = unit[2 * i + 1];
            }
        }
        return new float[][] {cos, sin};
    }

    /** The table of a llama model (NORMAL-layout Rope, only its angles matter here). */
    static float[][] of(LlamaConfig c, float[] freqFactors, int positions) {
        Rope rope = new Rope(Rope.Layout.NORMAL, c.ropeDim(), c.ropeDim(), positions, c.ropeBase(), c.ropeScale(),
                freqFactors);
        return of(rope, c.ropeDim(), positions);
    }

    /**
     * The table of a gpt-oss model: YaRN (or linear) scaling as the config says. The model rotates
     * in the NEOX layout; the table's angles and magnitudes do not depend on the layout, the kernel's
     * neox flag picks the pairs.
     */
    static float[][] of(GptOssConfig c, int positions) {
        Rope rope = new Rope(Rope.Layout.NORMAL, c.ropeDim(), c.ropeDim(), positions, c.ropeBase(), c.ropeScale(),
                null, c.yarn());
        return of(rope, c.ropeDim(), positions);
    }
}
