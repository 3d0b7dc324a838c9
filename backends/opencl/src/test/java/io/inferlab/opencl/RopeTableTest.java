package io.inferlab.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.inferlab.engine.kernels.Rope;

/** The table read out of the engine's Rope rotates exactly as the Rope does (on the host, no device). */
class RopeTableTest {
    @ParameterizedTest
    @EnumSource(Rope.Layout.class)
    void rotatingWithTheTableEqualsRopeApply(Rope.Layout layout) {
        int headDim = 16;
        int rotaryDim = 12;
        int positions = 64;
        float[] freqs = {1f, 1f, 2f, 4f, 8f, 16f};
        Rope rope = new Rope(layout, headDim, rotaryDim, positions, 500000f, 1f, freqs);
        RopeTable table = RopeTable.of(rope, headDim, rotaryDim, positions);
        SplittableRandom random = new SplittableRandom(1);
        int pairs = rotaryDim / 2;
        for (int p = 0; p < positions; p += 7) {
            float[] x = OpenClTestDevice.floats(headDim, random);
            float[] want = x.clone();
            rope.apply(want, 0, 1, p);
            for (int i = 0; i < pairs; i++) {
                int a = layout == Rope.Layout.NORMAL ? 2 * i : i;
                int b = layout == Rope.Layout.NORMAL ? a + 1 : a + pairs;
                float c = table.cos()[p * pairs + i];
                float s = table.sin()[p * pairs + i];
                float x0 = x[a];
                float x1 = x[b];
                x[a] = x0 * c - x1 * s;
                x[b] = x0 * s + x1 * c;
            }
            for (int i = 0; i < headDim; i++) {
                assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(x[i]), layout + " position " + p + " value " + i);
            }
        }
    }
}
