package io.inferlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.gguf.GgufValueType;
import io.inferlab.engine.kernels.ScalarKernels;

/** The gpt-oss forward pass on the random fixture: batching, the sliding window, expert reads, allocation. */
class GptOssTransformerTest {
    @TempDir
    Path dir;

    private static int[] randomTokens(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(256 + GptOssFixture.MERGES.size());
        }
        return t;
    }

    private static float[][] logits(GptOssModel m, int[] tokens, int batch) {
        GptOssTransformer t = m.forwardPass(new ScalarKernels(), 64, batch);
        float[][] out = new float[tokens.length][m.vocabSize()];
        for (int i = 0; i < tokens.length; i += batch) {
            t.forwardAll(tokens, i, Math.min(batch, tokens.length - i), i, out, i);
        }
        return out;
    }

    /** Prefill in batches (tokens grouped per expert) computes what decoding one token at a time does. */
    @Test
    void batchedPassEqualsTokenByToken() {
        try (GgufFile f = GgufFile.open(new GptOssFixture().write(dir.resolve("m.gguf")))) {
            GptOssModel m = GptOssModel.load(f);
            int[] tokens = randomTokens(1, 40);
            float[][] one = logits(m, tokens, 1);
            float[][] batched = logits(m, tokens, 16);
            for (int p = 0; p < tokens.length; p++) {
                assertArrayEquals(one[p], batched[p], 1e-4f, "position " + p);
            }
        }
    }

    /**
     * With every layer sliding (pattern 0), position p depends only on the last layers * (window
     * - 1) positions: 4 * 7 = 28 here, so token 0 cannot reach position 39. With the default
     * pattern the odd layers attend to everything, and it does.
     */
    @Test
    void slidingWindowBoundsTheReceptiveField() {
        int[] a = randomTokens(2, 40);
        int[] b = a.clone();
        b[0] = (a[0] + 1) % 256;
        GptOssFixture allSliding = new GptOssFixture().set("gpt-oss.attention.sliding_window_pattern", GgufValueType.UINT32, 0L);
        try (GgufFile f = GgufFile.open(allSliding.write(dir.resolve("swa.gguf")))) {
            GptOssModel m = GptOssModel.load(f);
            assertArrayEquals(logits(m, a, 8)[39], logits(m, b, 8)[39], 0f);
            assertNotEquals(logits(m, a, 8)[20][0], logits(m, b, 8)[20][0], "token 0 still reaches position 20");
        }
        try (GgufFile f = GgufFile.open(new GptOssFixture().write(dir.resolve("default.gguf")))) {
            GptOssModel m = GptOssModel.load(f);
            assertNotEquals(logits(m, a, 8)[39][0], logits(m, b, 8)[39][0]);
        }
    }

    /** Per token and layer the router is read, then exactly the top-k experts' three matrices, never the others. */
    @Test
    void onlyTheSelectedExpertsAreRead() {
        try (GgufFile f = GgufFile.open(new GptOssFixture().write(dir.resolve("m.gguf")));
             RecordingKernels k = new RecordingKernels()) {
            GptOssModel m = GptOssModel.load(f);
            GptOssTransformer t = m.forwardPass(k, 32, 1);
            int[] tokens = randomTokens(3, 6);
            Set<String> expertsSeen = new HashSet<>();
            for (int i = 0; i < tokens.length; i++) {
                k.matmuls.clear();
                t.forward(tokens, i, 1, i);
                List<String> experts = k.matmuls.stream().filter(n -> n.contains("_exps.weight[")).toList();
                assertEquals(m.config().layers() * m.config().expertsUsed() * 3, experts.size(), experts.toString());
                for (int l = 0; l < m.config().layers(); l++) {
                    String prefix = "blk." + l + ".";
                    List<String> layer = experts.stream().filter(n -> n.startsWith(prefix)).toList();
                    Set<String> ids = new HashSet<>();
                    layer.forEach(n -> ids.add(n.substring(n.indexOf('['))));
                    assertEquals(m.config().expertsUsed(), ids.size(), layer.toString());
                    expertsSeen.addAll(layer);
                }
                assertTrue(k.matmuls.contains("output.weight"));
            }
            // Random routing over 6 tokens x 4 layers uses more than the first experts.
            assertTrue(expertsSeen.size() > 3 * 2 * 4, expertsSeen.toString());
        }
    }

    /** A decode step allocates nothing on the heap, for both architectures (the buffers are made once). */
    @Test
    void decodeStepsDoNotAllocate() {
        Path oss = new GptOssFixture().write(dir.resolve("oss.gguf"));
        Path llama = new TinyLlamaFixture().write(dir.resolve("llama.gguf"));
        for (Path p : List.of(oss, llama)) {
            try (GgufFile f = GgufFile.open(p)) {
                ForwardPass t = Models.load(f).forwardPass(new ScalarKernels(), 128, 8);
                int[] tokens = randomTokens(4, 128);
                for (int i = 0; i < 60; i++) { // warm up (class loading, JIT)
                    t.forward(tokens, i, 1, i);
                }
                long before = allocatedBytes();
                for (int i = 60; i < 120; i++) {
                    t.forward(tokens, i, 1, i);
                }
                long allocated = allocatedBytes() - before;
                assertTrue(allocated < 4096, p.getFileName() + ": 60 decode steps allocated " + allocated + " bytes");
            }
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void rejectsBadBatchesPositionsAndTokens() {
        try (GgufFile f = GgufFile.open(new GptOssFixture().write(dir.resolve("m.gguf")))) {
            GptOssTransformer t = GptOssModel.load(f).forwardPass(new ScalarKernels(), 16, 4);
            assertThrows(IllegalArgumentException.class, () -> t.forward(new int[8], 0, 5, 0));
            assertThrows(IllegalArgumentException.class, () -> t.forward(new int[8], 0, 2, 15));
            String msg = assertThrows(IllegalArgumentException.class, () -> t.forward(new int[] {100_000}, 0, 1, 0)).getMessage();
            assertTrue(msg.contains("100000"), msg);
            assertEquals(16, t.contextLength());
            assertEquals(4, t.maxBatch());
            assertEquals(GptOssFixture.TOKENS.size(), t.vocabSize());
            float[] logits = t.forward(new int[] {1, 2}, 0, 2, 0);
            for (float v : logits) {
                assertTrue(Float.isFinite(v));
            }
        }
    }
}
