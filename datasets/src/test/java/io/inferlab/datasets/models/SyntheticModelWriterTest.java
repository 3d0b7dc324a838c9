package io.inferlab.datasets.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.model.LlamaModel;
import io.inferlab.engine.runtime.EngineBackend;
import io.inferlab.engine.tensor.GgmlType;

class SyntheticModelWriterTest {
    /** A preset small enough to generate in milliseconds, with the layout of the real ones. */
    static final ModelPreset MICRO = new ModelPreset("micro", "test", 64, 2, 4, 2, 96, 600, 64, 10000f, false);

    @TempDir
    Path dir;

    @Test
    void everyTypeLoadsAndGeneratesFiniteTokens() {
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0}) {
            Path p = dir.resolve("micro-" + type + ".gguf");
            SyntheticModelWriter.write(MICRO, type, p);
            try (GgufFile f = GgufFile.open(p)) {
                LlamaModel m = LlamaModel.load(f);
                assertEquals(MICRO.dim(), m.config().dim());
                assertEquals(MICRO.vocabSize(), m.config().vocabSize());
                assertEquals(type, m.weights().layers().get(0).wq().type());
                assertEquals(MICRO.parameterCount(), f.tensorInfos().stream().mapToLong(t -> t.elementCount()).sum());
            }
            try (EngineBackend b = EngineBackend.open("reference", AccelerationType.CPU, p, BackendOptions.defaults(),
                    n -> new ScalarKernels())) {
                GenerationResult r = b.generate(GenerationRequest.greedy("hello world", 10).withStopAtEos(false), (t, s) -> { });
                assertEquals(10, r.tokens().length);
                float[][] logits = b.logits(r.promptTokens());
                for (float[] row : logits) {
                    for (float v : row) {
                        assertTrue(Float.isFinite(v));
                    }
                }
            }
        }
    }

    @Test
    void generationIsDeterministic() throws Exception {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        SyntheticModelWriter.write(MICRO, GgmlType.Q4_0, a);
        SyntheticModelWriter.write(MICRO, GgmlType.Q4_0, b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void vocabularyEncodesAnyTextAndRoundTrips() {
        Path p = dir.resolve("v.gguf");
        SyntheticModelWriter.write(MICRO, GgmlType.F32, p);
        try (EngineBackend b = EngineBackend.open("reference", AccelerationType.CPU, p, BackendOptions.defaults(),
                n -> new ScalarKernels())) {
            String text = "The quick brown fox, 42 times: naïve café ✓";
            int[] tokens = b.encode(text);
            assertEquals(SyntheticVocabulary.BOS, tokens[0]);
            assertEquals(text, b.decode(tokens));
        }
    }

    @Test
    void cacheRegeneratesADamagedModel() throws Exception {
        ModelCache cache = new ModelCache(dir.resolve("cache"));
        assertFalse(cache.find(MICRO, GgmlType.Q8_0).isPresent());
        // the cache keys by preset: MICRO is not a registered preset, but the cache works for any
        Path p = cache.getOrGenerate(MICRO, GgmlType.Q8_0);
        assertTrue(cache.find(MICRO, GgmlType.Q8_0).isPresent());
        byte[] good = Files.readAllBytes(p);
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 1;
        Files.write(p, bad);
        assertFalse(cache.find(MICRO, GgmlType.Q8_0).isPresent(), "a damaged model must not be used");
        cache.getOrGenerate(MICRO, GgmlType.Q8_0);
        assertArrayEquals(good, Files.readAllBytes(p));
    }

    @Test
    void tensorTypeNamesAreParsedInOnePlace() {
        assertEquals(GgmlType.Q4_0, ModelPreset.tensorType("q4_0"));
        assertEquals(GgmlType.BF16, ModelPreset.tensorType("BF16"));
        for (String bad : new String[] {"mxfp4", "q4_k", ""}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ModelPreset.tensorType(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("q8_0"), e.getMessage());
        }
    }

    @Test
    void presetsHaveTheirPublishedSizes() {
        assertEquals(15, Math.round(ModelPreset.TINY.parameterCount() / 1e6));
        assertEquals(1.1, ModelPreset.TINYLLAMA_1B.parameterCount() / 1e9, 0.05);
        assertEquals(1.24, ModelPreset.LLAMA32_1B.parameterCount() / 1e9, 0.05);
    }
}
