package io.inferlab.cuda.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.model.GptOssConfig;
import io.inferlab.engine.model.GptOssFixture;
import io.inferlab.engine.model.GptOssModel;

/**
 * The table the rope kernel reads, applied with the kernel's own indexing (rope_f32.cu, replayed
 * here in Java), gives exactly the engine's rotation, for both layouts, partial rotation and YaRN.
 */
class RopeTableTest {

    @ParameterizedTest
    @EnumSource(Rope.Layout.class)
    void theTableWithTheKernelsIndexingIsTheEnginesRope(Rope.Layout layout) {
        check(layout, 40, 32, 1f, null);
        check(layout, 64, 64, 32f, new Rope.Yarn(64, Rope.Yarn.DEFAULT_BETA_FAST, Rope.Yarn.DEFAULT_BETA_SLOW));
        check(layout, 48, 48, 4f, null);
    }

    private static void check(Rope.Layout layout, int headDim, int rotDim, float scale, Rope.Yarn yarn) {
        int positions = 50;
        int heads = 3;
        Rope rope = new Rope(layout, headDim, rotDim, positions, 10000f, scale, null, yarn);
        float[][] table = RopeTable.of(new Rope(Rope.Layout.NORMAL, rotDim, rotDim, positions, 10000f, scale, null, yarn),
                rotDim, positions);
        Random r = new Random(3);
        for (int pos : new int[] {0, 1, 17, positions - 1}) {
            float[] x = new float[heads * headDim];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat() * 2 - 1;
            }
            float[] expected = x.clone();
            rope.apply(expected, 0, heads, pos);
            kernel(x, table, heads, headDim, rotDim, pos, layout == Rope.Layout.NEOX);
            assertArrayEquals(expected, x, 0f, layout + " pos " + pos);
        }
    }

    /** rope_f32's loop for one token. */
    private static void kernel(float[] x, float[][] table, int heads, int headDim, int rotDim, int pos, boolean neox) {
        int half = rotDim / 2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                int a = h * headDim + (neox ? i : 2 * i);
                int b = neox ? a + half : a + 1;
                float c = table[0][pos * half + i];
                float s = table[1][pos * half + i];
                float x0 = x[a];
                float x1 = x[b];
                x[a] = x0 * c - x1 * s;
                x[b] = x0 * s + x1 * c;
            }
        }
    }

    /** gpt-oss: YaRN (factor 32 over 4096 positions, base 150000) in the NEOX layout, from the config. */
    @Test
    void theGptOssTableIsTheEnginesYarnRope(@TempDir Path dir) {
        Path p = new GptOssFixture().write(dir.resolve("oss.gguf"));
        try (GgufFile f = GgufFile.open(p)) {
            GptOssConfig c = GptOssModel.load(f).config();
            int positions = 300;
            Rope rope = new Rope(Rope.Layout.NEOX, c.headDim(), c.ropeDim(), positions, c.ropeBase(), c.ropeScale(),
                    null, c.yarn());
            float[][] table = RopeTable.of(c, positions);
            Random r = new Random(4);
            for (int pos : new int[] {0, 5, 299}) {
                float[] x = new float[c.heads() * c.headDim()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextFloat() * 2 - 1;
                }
                float[] expected = x.clone();
                rope.apply(expected, 0, c.heads(), pos);
                kernel(x, table, c.heads(), c.headDim(), c.ropeDim(), pos, true);
                assertArrayEquals(expected, x, 0f, "pos " + pos);
            }
        }
    }
}
