package io.inferlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.inferlab.engine.kernels.ScalarKernels;

/** Routing (top-k) and gpt-oss's clamped SwiGLU on hand-checked values. */
class MixtureOfExpertsTest {

    @Test
    void topKIsLargestFirstWithLowerIndexOnTies() {
        float[] logits = {9f, 0.5f, 3f, -1f, 3f, 7f};
        int[] out = new int[5];
        MixtureOfExperts.topK(logits, 1, 5, 3, out, 2); // over {0.5, 3, -1, 3, 7}
        assertArrayEquals(new int[] {0, 0, 4, 1, 3}, out);
        MixtureOfExperts.topK(logits, 0, 6, 1, out, 0);
        assertEquals(0, out[0]);
    }

    /**
     * g = min(gate, 7), u = clamp(up, -7, 7): out = g * sigmoid(1.702 g) * (u + 1). With gate 0
     * the result is 0; gate 10 acts as 7 (sigmoid(11.914) = 0.9999933); up -9 acts as -7.
     */
    @Test
    void clampedSwigluMatchesTheDefinition() {
        float[] gate = {0f, 1f, 10f, -2f, 7f};
        float[] up = {5f, 0f, 1f, -9f, 100f};
        new ScalarKernels().swigluClamped(gate, up, 5, MixtureOfExperts.ALPHA, MixtureOfExperts.LIMIT);
        double[] expected = {
            0,
            1 / (1 + Math.exp(-1.702)) * 1,
            7 / (1 + Math.exp(-1.702 * 7)) * 2,
            -2 / (1 + Math.exp(1.702 * 2)) * -6,
            7 / (1 + Math.exp(-1.702 * 7)) * 8,
        };
        for (int i = 0; i < gate.length; i++) {
            assertEquals(expected[i], gate[i], 1e-5, "element " + i);
        }
    }
}
