package io.inferlab.datasets.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.ModelInfo;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.model.GptOssModel;
import io.inferlab.engine.runtime.EngineBackend;
import io.inferlab.engine.tensor.GgmlType;

class GptOssPresetTest {
    /** GGML block sizes in bytes per 32 values. */
    static final double Q8_0 = 34 / 32.0;
    static final double MXFP4 = 17 / 32.0;

    @TempDir
    Path dir;

    @Test
    void presetsHaveTheirShapesSizes() {
        assertEquals(26, Math.round(GptOssPreset.TINY.parameterCount() / 1e6));
        assertTrue(GptOssPreset.ONE_B.parameterCount() >= 1_000_000_000L, "at least 1B parameters");
        assertEquals(1.2, GptOssPreset.ONE_B.parameterCount() / 1e9, 0.05);
        // OpenAI's model card: gpt-oss-20b has 20.9B parameters in total.
        assertEquals(20.9, GptOssPreset.TWENTY_B.parameterCount() / 1e9, 0.05);
        assertTrue(GptOssPreset.TWENTY_B.planOnly());
        assertFalse(GptOssPreset.ONE_B.planOnly());
    }

    /**
     * gpt-oss-1b at q8_0, by hand: per layer attention q, k, v, o (2 x 1024x1024 + 2 x 1024x128)
     * and the router (1024 x 32) in Q8_0, and 4 of the 32 experts' gate, up and down (3 x
     * 1024x1024 each) in MXFP4; once the output (1024 x 201088, Q8_0) and one embedding row.
     */
    @Test
    void bytesPerTokenCountOnlyTheActiveExperts() {
        double attention = (2.0 * 1024 * 1024 + 2.0 * 1024 * 128) * Q8_0;
        double router = 1024.0 * 32 * Q8_0;
        double activeExperts = 4 * 3.0 * 1024 * 1024 * MXFP4;
        double output = 1024.0 * 201_088 * Q8_0;
        double embeddingRow = 1024 * Q8_0;
        long byHand = Math.round(8 * (attention + router + activeExperts) + output + embeddingRow);
        assertEquals(292_594_752L, byHand);
        MemoryPlan plan = GptOssPreset.ONE_B.plan(GgmlType.Q8_0);
        assertEquals(byHand, plan.bytesPerToken());
        // all 32 experts are in the file: the active ones are an eighth of the expert bytes
        double allExperts = 8 * 32 * 3.0 * 1024 * 1024 * MXFP4;
        assertTrue(plan.weightBytes() > allExperts + 2 * output);
        assertEquals(20.0e9 / byHand, plan.rooflineTokensPerSecond(20e9), 1e-9);
    }

    /** The 20B shape: about 12 GB at q8_0 (ggml-org's gpt-oss-20b MXFP4 GGUF is 12.1 GB), 1.5 GB read per token. */
    @Test
    void twentyBPlanMatchesTheRealModelsSizes() {
        MemoryPlan plan = GptOssPreset.TWENTY_B.plan(GgmlType.Q8_0);
        assertEquals(12.09, plan.weightBytes() / 1e9, 0.02);
        double perToken = 24 * ((2.0 * 2880 * 4096 + 2.0 * 2880 * 512 + 2880.0 * 32) * Q8_0 + 4 * 3.0 * 2880 * 2880 * MXFP4)
                + 2880.0 * 201_088 * Q8_0 + 2880 * Q8_0;
        assertEquals(Math.round(perToken), plan.bytesPerToken());
        assertEquals(24L * 2 * 8 * 64 * 4, plan.kvBytesPerPosition()); // F32 k and v, every layer
        assertEquals(12L * 2 * 512 * 2 * 1024 + 12L * 2 * 512 * 2 * 128, plan.kvBytesPer1kCompact());
        assertTrue(plan.fits(24L << 30, 4096));
        assertFalse(plan.fits(8L << 30, 4096));
    }

    @Test
    void planOnlyPresetsAreNotGeneratedImplicitly() {
        ModelCache cache = new ModelCache(dir.resolve("cache"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cache.getOrGenerate(GptOssPreset.TWENTY_B, GgmlType.Q8_0));
        assertTrue(e.getMessage().contains("models plan --preset gpt-oss-20b"), e.getMessage());
        assertFalse(Files.exists(cache.pathOf(GptOssPreset.TWENTY_B, GgmlType.Q8_0)));
    }

    @Test
    void presetsResolveByNameAcrossArchitectures() {
        assertSame(GptOssPreset.ONE_B, SyntheticPresets.byName("GPT-OSS-1B"));
        assertSame(ModelPreset.TINY, SyntheticPresets.byName("tiny"));
        assertTrue(SyntheticPresets.exists("gpt-oss-20b"));
        assertFalse(SyntheticPresets.exists("model.gguf"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyntheticPresets.byName("x"));
        assertTrue(e.getMessage().contains("gpt-oss-tiny") && e.getMessage().contains("llama3-1b"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelPreset.tensorType("mxfp4"));
        assertTrue(e.getMessage().contains("gpt-oss presets always have MXFP4 experts"), e.getMessage());
    }

    /**
     * The tiny preset through the cache: deterministic bytes (same checksum twice), loaded by the
     * engine with the planned sizes, text and harmony tokenize and round-trip, decoding is finite.
     */
    @Test
    void tinyPresetIsDeterministicAndRunsOnTheEngine() throws Exception {
        ModelCache cache = new ModelCache(dir.resolve("cache"));
        Path p = cache.getOrGenerate(GptOssPreset.TINY, GgmlType.Q8_0);
        assertEquals(dir.resolve("cache/synthetic-gpt-oss-tiny-q8_0.gguf"), p);
        String first = ModelCache.sha256(p);
        Path again = ModelCache.generate(GptOssPreset.TINY, GgmlType.Q8_0, dir.resolve("again.gguf"));
        assertEquals(first, ModelCache.sha256(again));
        MemoryPlan plan = GptOssPreset.TINY.plan(GgmlType.Q8_0);
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(plan.weightBytes(), f.tensorBytes());
            assertEquals(GptOssPreset.TINY.parameterCount(), f.tensorInfos().stream().mapToLong(t -> t.elementCount()).sum());
            GptOssModel m = GptOssModel.load(f);
            assertEquals(GgmlType.Q8_0, m.weights().output().type());
            assertEquals(GgmlType.MXFP4, m.weights().layers().getFirst().experts().getFirst().type());
            String harmony = "<|start|>user<|message|>Hello there<|end|><|start|>assistant";
            int[] h = m.tokenizer().encode(harmony, false, true);
            assertEquals(200_006, h[0]); // <|start|> at its o200k_harmony id
            assertTrue(java.util.Arrays.stream(h).anyMatch(t -> t == 200_008), "<|message|> is one token");
            assertEquals(harmony, ((io.inferlab.engine.tokenizer.VocabularyTokenizer) m.tokenizer()).decode(h, true));
        }
        try (EngineBackend b = EngineBackend.open("reference", AccelerationType.CPU, p, BackendOptions.defaults()
                .withContextLength(64), n -> new ScalarKernels())) {
            ModelInfo info = b.model();
            assertEquals("gpt-oss", info.architecture());
            assertEquals(plan.bytesPerToken(), info.bytesPerToken());
            String text = "The quick brown fox, 42 times: naïve café ✓";
            int[] tokens = b.encode(text);
            assertTrue(tokens.length < text.length(), "letters merge into word pieces");
            assertEquals(text, b.decode(tokens));
            GenerationResult r = b.generate(GenerationRequest.greedy("hello world", 6).withStopAtEos(false), (t, s) -> { });
            assertEquals(6, r.tokens().length);
            for (float[] row : b.logits(r.promptTokens())) {
                for (float v : row) {
                    assertTrue(Float.isFinite(v));
                }
            }
        }
    }
}
