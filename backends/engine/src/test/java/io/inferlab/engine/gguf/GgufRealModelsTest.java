package io.inferlab.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.inferlab.engine.SharedModels;
import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;
import io.inferlab.engine.tensor.Tensor;

/** The real files in ../shared/models (skipped when absent): metadata, tensor infos and data. */
class GgufRealModelsTest {

    private static void assertTensorsInsideTheFile(GgufFile f) {
        assertEquals(0, f.dataOffset() % f.alignment());
        for (GgufTensorInfo info : f.tensorInfos()) {
            assertEquals(0, info.offset() % f.alignment(), info.name());
            assertTrue(f.dataOffset() + info.offset() + info.byteSize() <= f.fileSize(), info.name());
        }
    }

    @Test
    void storiesF32() {
        Path p = SharedModels.require(SharedModels.STORIES_F32);
        try (GgufFile f = GgufFile.open(p)) {
            GgufMetadata md = f.metadata();
            assertEquals("llama", md.getString("general.architecture"));
            assertEquals("stories260K", md.getString("general.name"));
            assertEquals(5, md.getInt("llama.block_count"));
            assertEquals(64, md.getInt("llama.embedding_length"));
            assertEquals(512, md.getInt("llama.context_length"));
            assertEquals(172, md.getInt("llama.feed_forward_length"));
            assertEquals(8, md.getInt("llama.attention.head_count"));
            assertEquals(4, md.getInt("llama.attention.head_count_kv"));
            assertEquals(8, md.getInt("llama.rope.dimension_count"));
            assertEquals(1e-5f, md.getFloat("llama.attention.layer_norm_rms_epsilon"), 1e-12f);
            assertEquals("llama", md.getString("tokenizer.ggml.model"));
            String[] tokens = md.getStringArray("tokenizer.ggml.tokens");
            assertEquals(512, tokens.length);
            assertEquals("<unk>", tokens[0]);
            assertEquals("<0x00>", tokens[3]);
            assertEquals("<0xFF>", tokens[258]);
            assertEquals(512, md.optFloatArray("tokenizer.ggml.scores").orElseThrow().length);
            assertEquals(512, md.optIntArray("tokenizer.ggml.token_type").orElseThrow().length);
            assertEquals(1, md.getInt("tokenizer.ggml.bos_token_id"));
            assertEquals(2, md.getInt("tokenizer.ggml.eos_token_id"));
            assertEquals(32, f.alignment());

            assertEquals(2 + 5 * 9 + 1, f.tensorInfos().size());
            GgufTensorInfo embd = f.tensorInfo("token_embd.weight").orElseThrow();
            assertEquals(GgmlType.F32, embd.type());
            assertArrayEquals(new long[] {64, 512}, embd.shape());
            assertEquals(0, embd.offset());
            for (int b = 0; b < 5; b++) {
                assertArrayEquals(new long[] {64}, f.tensorInfo("blk." + b + ".attn_norm.weight").orElseThrow().shape());
                assertArrayEquals(new long[] {64, 32}, f.tensorInfo("blk." + b + ".attn_k.weight").orElseThrow().shape());
                assertArrayEquals(new long[] {172, 64}, f.tensorInfo("blk." + b + ".ffn_down.weight").orElseThrow().shape());
            }
            assertTensorsInsideTheFile(f);
            assertEquals(f.fileSize() - f.dataOffset(), f.tensorBytes());
            // output.weight is a copy of token_embd.weight (tied in the original model).
            assertEquals(-1, f.tensor("token_embd.weight").data().mismatch(f.tensor("output.weight").data()));
            float[] norm = Formats.toFloats(f.tensor("output_norm.weight"));
            for (float v : norm) {
                assertTrue(Float.isFinite(v) && v != 0f);
            }
        }
    }

    /**
     * The quantized files hold llama.cpp's reference quantization of the F32 weights: our
     * quantizer reproduces every quantized tensor byte for byte from the F32 file, and each
     * dequantized value is within the stated bound of the original.
     */
    @Test
    void storiesQ8_0AndQ4_0AreTheReferenceQuantizationOfF32() {
        Path pf = SharedModels.require(SharedModels.STORIES_F32);
        for (String name : new String[] {SharedModels.STORIES_Q8_0, SharedModels.STORIES_Q4_0}) {
            Path pq = SharedModels.require(name);
            GgmlType qt = name.equals(SharedModels.STORIES_Q8_0) ? GgmlType.Q8_0 : GgmlType.Q4_0;
            try (GgufFile f32 = GgufFile.open(pf); GgufFile q = GgufFile.open(pq)) {
                assertEquals("llama", q.metadata().getString("general.architecture"));
                assertEquals(f32.metadata().keys(), q.metadata().keys());
                assertEquals(f32.tensorInfos().size(), q.tensorInfos().size());
                assertTensorsInsideTheFile(q);
                int quantized = 0;
                for (GgufTensorInfo fi : f32.tensorInfos()) {
                    GgufTensorInfo qi = q.tensorInfo(fi.name()).orElseThrow();
                    assertArrayEquals(fi.shape(), qi.shape(), fi.name());
                    float[] x = Formats.toFloats(f32.tensor(fi));
                    Tensor qtensor = q.tensor(qi);
                    if (qi.type() == GgmlType.F32) {
                        // Norms (1-D) and rows not a multiple of 32 (ffn_down, 172 wide) stay F32.
                        assertTrue(fi.shape().length == 1 || fi.shape()[0] % 32 != 0, fi.name());
                        assertEquals(-1, f32.tensor(fi).data().mismatch(qtensor.data()));
                        continue;
                    }
                    assertEquals(qt, qi.type(), fi.name());
                    quantized++;
                    assertArrayEquals(Quantizer.quantize(qt, x), qtensor.data().toArray(ValueLayout.JAVA_BYTE), fi.name());
                    float[] deq = Formats.toFloats(qtensor);
                    for (int b = 0; b < x.length / 32; b++) {
                        float amax = 0;
                        for (int j = 0; j < 32; j++) {
                            amax = Math.max(amax, Math.abs(x[b * 32 + j]));
                        }
                        // Q8_0: d = amax/127, error <= d/2 plus the fp16 rounding of d over 127 steps (< 0.07 d).
                        // Q4_0: d = amax/8, error <= d (the clamp at +7 d) plus fp16 rounding of d.
                        double bound = qt == GgmlType.Q8_0 ? 0.57 * amax / 127 : 1.01 * amax / 8;
                        for (int j = 0; j < 32; j++) {
                            int i = b * 32 + j;
                            assertTrue(Math.abs(x[i] - deq[i]) <= bound + 1e-12,
                                    () -> fi.name() + "[" + i + "]: " + x[i] + " vs " + deq[i]);
                        }
                    }
                }
                assertEquals(1 + 5 * 6 + 1, quantized, name); // token_embd, 6 matrices per block, output
            }
        }
    }

    @Test
    void tinyGptOss() {
        Path p = SharedModels.require(SharedModels.TINY_GPT_OSS);
        try (GgufFile f = GgufFile.open(p)) {
            GgufMetadata md = f.metadata();
            assertEquals("gpt-oss", md.getString("general.architecture"));
            assertEquals(4, md.getInt("gpt-oss.block_count"));
            assertEquals(64, md.getInt("gpt-oss.embedding_length"));
            assertEquals(4, md.getInt("gpt-oss.expert_count"));
            assertEquals(2, md.getInt("gpt-oss.expert_used_count"));
            assertEquals(16, md.getInt("gpt-oss.attention.sliding_window"));
            assertEquals(150000f, md.getFloat("gpt-oss.rope.freq_base"));
            assertEquals("yarn", md.getString("gpt-oss.rope.scaling.type"));
            assertEquals(32f, md.getFloat("gpt-oss.rope.scaling.factor"));
            assertEquals("gpt2", md.getString("tokenizer.ggml.model"));
            String[] tokens = md.getStringArray("tokenizer.ggml.tokens");
            assertEquals(201088, tokens.length);
            assertEquals("<|startoftext|>", tokens[199998]);
            assertEquals("<|return|>", tokens[200002]);
            assertEquals("<|message|>", tokens[200008]);
            assertEquals(446189, md.getStringArray("tokenizer.ggml.merges").length);
            assertEquals(199998, md.getInt("tokenizer.ggml.bos_token_id"));

            assertEquals(79, f.tensorInfos().size());
            assertTensorsInsideTheFile(f);
            GgufTensorInfo embd = f.tensorInfo("token_embd.weight").orElseThrow();
            assertEquals(GgmlType.Q8_0, embd.type());
            assertArrayEquals(new long[] {64, 201088}, embd.shape());
            assertEquals(GgmlType.F32, f.tensorInfo("output.weight").orElseThrow().type());
            assertArrayEquals(new long[] {2}, f.tensorInfo("blk.0.attn_sinks.weight").orElseThrow().shape());
            for (String e : new String[] {"ffn_gate_exps", "ffn_up_exps", "ffn_down_exps"}) {
                GgufTensorInfo info = f.tensorInfo("blk.3." + e + ".weight").orElseThrow();
                assertEquals(GgmlType.MXFP4, info.type(), e);
                assertEquals(3, info.shape().length, e);
                assertEquals(4, info.shape()[2], e + ": one matrix per expert");
                // Every decoded value is an E2M1 code point times a power of two.
                float[] v = Formats.toFloats(f.tensor(info));
                for (float x : v) {
                    float m = Math.abs(x);
                    assertTrue(m == 0 || isE2m1TimesPowerOfTwo(m), e + ": " + x);
                }
            }
        }
    }

    private static boolean isE2m1TimesPowerOfTwo(float m) {
        // E2M1 magnitudes are 0.5, 1, 1.5, 2, 3, 4, 6: mantissas 1 and 1.5 (times powers of two).
        float mant = m / Math.scalb(1f, Math.getExponent(m));
        return mant == 1f || mant == 1.5f;
    }
}
