package io.inferlab.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.StopReason;
import io.inferlab.api.TokenListener;
import io.inferlab.datasets.models.ModelPreset;
import io.inferlab.datasets.models.SyntheticModelWriter;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.runtime.EngineBackend;
import io.inferlab.engine.tensor.GgmlType;

/**
 * llama.cpp reads the synthetic models that {@code inferlab perf --preset} benchmarks (datasets'
 * SyntheticModelWriter) as InferLab's engine does: it loads them, runs llama-bench style token
 * prompts, and its logits point the same way as the scalar oracle's. The presets here are small
 * models with the features of the real ones (tied output like tiny/llama3-1b, grouped-query
 * attention and a separate output like 1b, Llama 3's RoPE base), so the test takes seconds.
 */
class LlamaCppSyntheticModelTest {

    static Stream<Arguments> presets() {
        return Stream.of(
                Arguments.of(new ModelPreset("mini-tied", "tiny's layout, smaller", 128, 2, 4, 4, 256, 1024, 128, 10000f, true),
                        GgmlType.Q8_0, "q8_0 weights x q8_0 activations"),
                Arguments.of(new ModelPreset("mini-gqa", "1b's layout, smaller", 128, 2, 4, 2, 256, 1024, 128, 10000f, false),
                        GgmlType.Q4_0, "q4_0 weights x q8_0 activations"),
                Arguments.of(new ModelPreset("mini-llama3", "llama3-1b's layout, smaller", 128, 2, 4, 2, 256, 1024, 128,
                        500000f, true), GgmlType.F16, "f16 weights x f16 activations"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("presets")
    void llamaCppRunsSyntheticModelsLikeTheEngine(ModelPreset preset, GgmlType type, String mode, @TempDir Path dir) {
        LlamaCppTestSupport.requireLibrary();
        Path model = dir.resolve(preset.name() + ".gguf");
        SyntheticModelWriter.write(preset, type, model);
        int[] tokens = {1, 300, 301, 302};
        float[][] theirs;
        try (InferenceBackend llama = new LlamaCppBackendProvider().open(ModelSource.gguf(model),
                BackendOptions.defaults().withThreads(2))) {
            assertEquals("llama", llama.model().architecture());
            assertEquals(preset.vocabSize(), llama.model().vocabularySize());
            assertEquals(preset.contextLength(), llama.model().contextLength());
            assertEquals(preset.parameterCount(), llama.model().parameterCount());
            assertEquals(mode + ", f16 KV cache (llama.cpp b4916 ggml CPU, weights in memory)", llama.computeMode());
            // llama-bench's tg: a one-token context, EOS ignored, an exact number of tokens.
            GenerationResult tg = llama.generate(GenerationRequest.ofTokens(new int[] {1}, 8).withStopAtEos(false),
                    TokenListener.NONE);
            assertEquals(8, tg.tokens().length);
            assertEquals(StopReason.MAX_TOKENS, tg.stopReason());
            theirs = llama.logits(tokens);
        }
        float[][] ours;
        try (EngineBackend oracle = EngineBackend.open("scalar", AccelerationType.CPU, model, BackendOptions.defaults(),
                n -> new ScalarKernels())) {
            ours = oracle.logits(tokens);
        }
        for (int i = 0; i < tokens.length; i++) {
            // Quantized (or F16) activations on llama.cpp's side, F32 on ours: close, not equal.
            double cos = cosine(ours[i], theirs[i]);
            assertTrue(cos > 0.99, "position " + i + ": cosine(llama.cpp, scalar) = " + cos);
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
