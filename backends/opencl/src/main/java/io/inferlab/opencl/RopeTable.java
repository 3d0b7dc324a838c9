package io.inferlab.opencl;

import io.inferlab.engine.kernels.Rope;

/**
 * The cos/sin table of a {@link Rope}, laid out {@code [position][pair]} for the rope kernels.
 * Read out of the engine's own Rope rather than recomputed, so linear scaling, Llama 3's
 * rope_freqs and any later variant give the device the very same angles as the host: rotating
 * the unit pair (1, 0) by theta yields (cos theta, sin theta) exactly (1 * c - 0 * s = c).
 */
record RopeTable(float[] cos, float[] sin) {

    static RopeTable of(Rope rope, int headDim, int rotaryDim, int positions) {
        int pairs = rotaryDim / 2;
        float[] cos = new float[Math.multiplyExact(positions, pairs)];
        float[] sin = new float[cos.length];
        float[] unit = new float[headDim];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < pairs; i++) {
                int a = rope.layout() == Rope.Layout.NORMAL ? 2 * i : i;
                int b = rope.layout() == Rope.Layout.NORMAL ? a + 1 : a + pairs;
                unit[a] = 1f;
                unit[b] = 0f;
            }
            rope.apply(unit, 0, 1, p);
            for (int i = 0; i < pairs; i++) {
                int a = rope.layout() == Rope.Layout.NORMAL ? 2 * i : i;
                int b = rope.layout() == Rope.Layout.NORMAL ? a + 1 : a + pairs;
                cos[p * pairs + i] = unit[a];
                sin[p * pairs + i] = unit[b];
            }
        }
        return new RopeTable(cos, sin);
    }
}
