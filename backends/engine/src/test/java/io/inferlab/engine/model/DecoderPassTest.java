package io.inferlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.kernels.ScalarKernels;

/**
 * {@link DecoderPass#forward} runs the last layer past its attention for the last token alone:
 * its logits are those {@link DecoderPass#forwardAll} gives that token (bit for bit on the
 * scalar kernels, whose products do not depend on the batch), it leaves the same KV cache (a
 * next batch continues alike), and it multiplies the last layer's output projection and
 * feed-forward for one token; llama and gpt-oss.
 */
class DecoderPassTest {
    private static final int CONTEXT = 32;

    @TempDir
    Path dir;

    @Test
    void llamaForwardIsTheLastOfForwardAll() {
        try (GgufFile f = GgufFile.open(new TinyLlamaFixture().write(dir.resolve("llama.gguf")))) {
            LlamaModel m = LlamaModel.load(f);
            assertLastOfForwardAll(k -> m.forwardPass(k, CONTEXT, 8), m.vocabSize());
            RecordingKernels recording = new RecordingKernels();
            m.forwardPass(recording, CONTEXT, 8).forward(tokens(5, m.vocabSize()), 0, 5, 0);
            assertBatch(recording, "blk.1.attn_k.weight", 5);
            assertBatch(recording, "blk.1.attn_output.weight", 1);
            assertBatch(recording, "blk.1.ffn_down.weight", 1);
            assertBatch(recording, "blk.0.ffn_down.weight", 5);
        }
    }

    @Test
    void gptOssForwardIsTheLastOfForwardAll() {
        try (GgufFile f = GgufFile.open(new GptOssFixture().write(dir.resolve("gpt-oss.gguf")))) {
            GptOssModel m = GptOssModel.load(f);
            assertLastOfForwardAll(k -> m.forwardPass(k, CONTEXT, 8), m.vocabSize());
        }
    }

    private static void assertLastOfForwardAll(Function<Kernels, ForwardPass> passes, int vocab) {
        int[] tokens = tokens(13, vocab);
        ForwardPass all = passes.apply(new ScalarKernels());
        ForwardPass last = passes.apply(new ScalarKernels());
        float[][] expected = new float[tokens.length][vocab];
        // 8 + 5 tokens: the second batch sees the cache the first left behind.
        for (int from = 0; from < tokens.length; from += 8) {
            int n = Math.min(8, tokens.length - from);
            all.forwardAll(tokens, from, n, from, expected, from);
            float[] logits = last.forward(tokens, from, n, from);
            assertArrayEquals(expected[from + n - 1], logits, 0f, "batch from " + from);
        }
    }

    private static void assertBatch(RecordingKernels k, String matrix, int batch) {
        int i = k.matmuls.lastIndexOf(matrix);
        assertEquals(batch, k.batches.get(i), matrix);
    }

    private static int[] tokens(int n, int vocab) {
        SplittableRandom r = new SplittableRandom(n);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }
}
