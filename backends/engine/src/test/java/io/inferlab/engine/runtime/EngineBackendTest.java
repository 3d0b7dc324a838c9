package io.inferlab.engine.runtime;

import static io.inferlab.engine.Logits.argmax;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.CancellationToken;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.ModelFormatException;
import io.inferlab.api.StopReason;
import io.inferlab.engine.SharedModels;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.model.GptOssFixture;
import io.inferlab.engine.model.RecordingKernels;
import io.inferlab.engine.model.TinyLlamaFixture;
import io.inferlab.engine.tensor.GgmlType;

/** The engine's forward pass on the scalar reference kernels, against the shared models' reference outputs. */
class EngineBackendTest {

    static EngineBackend reference(Path model) {
        return EngineBackend.open("reference", AccelerationType.CPU, model, BackendOptions.defaults(), n -> new ScalarKernels());
    }

    @Test
    void f32GreedyReproducesTheReferenceText() {
        try (EngineBackend b = reference(SharedModels.require(SharedModels.STORIES_F32))) {
            assertArrayEquals(SharedModels.STORIES_PROMPT_TOKENS, b.encode(SharedModels.STORIES_PROMPT));
            StringBuilder streamed = new StringBuilder();
            GenerationResult r = b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100),
                    (token, piece) -> streamed.append(piece));
            assertEquals(SharedModels.STORIES_REFERENCE_TEXT, SharedModels.STORIES_PROMPT + r.text());
            assertEquals(r.text(), streamed.toString());
            assertEquals(100, r.tokens().length);
            assertEquals(StopReason.MAX_TOKENS, r.stopReason());
            assertEquals(99, r.timings().itlNs().length);
            assertTrue(r.timings().ttftNs() >= r.timings().prefillNs());
            assertTrue(r.computeMode().startsWith("f32 weights x f32 activations"), r.computeMode());
        }
    }

    @Test
    void q8_0GivesTheSameTextAsF32() {
        // llama.cpp also gives the F32 text for this file (../shared/models/README.md).
        try (EngineBackend b = reference(SharedModels.require(SharedModels.STORIES_Q8_0))) {
            GenerationResult r = b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100), (t, p) -> { });
            assertEquals(SharedModels.STORIES_REFERENCE_TEXT, SharedModels.STORIES_PROMPT + r.text());
        }
    }

    @Test
    void q4_0GeneratesFluentText() {
        try (EngineBackend b = reference(SharedModels.require(SharedModels.STORIES_Q4_0))) {
            GenerationResult r = b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100), (t, p) -> { });
            String text = SharedModels.STORIES_PROMPT + r.text();
            // Q4_0 changes the story after a while (llama.cpp's does too), but the opening and the
            // language survive: the first sentence of the reference, then plain English words.
            assertTrue(text.startsWith("Once upon a time, there was a little girl named Lily."), text);
            assertTrue(text.chars().allMatch(c -> c == '\n' || (c >= 32 && c < 127)), text);
            assertTrue(text.split("\\s+").length >= 40, text);
        }
    }

    @Test
    void logitsOfEveryPositionMatchGeneration() {
        try (EngineBackend b = reference(SharedModels.require(SharedModels.STORIES_F32))) {
            GenerationResult r = b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 8), (t, p) -> { });
            int[] seq = new int[5 + 8];
            System.arraycopy(r.promptTokens(), 0, seq, 0, 5);
            System.arraycopy(r.tokens(), 0, seq, 5, 8);
            float[][] logits = b.logits(seq);
            assertEquals(seq.length, logits.length);
            for (int i = 4; i < seq.length - 1; i++) {
                assertEquals(seq[i + 1], argmax(logits[i]), "position " + i);
            }
        }
    }

    @Test
    void stopsAtCancellationTimeoutAndFullContext() {
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        try (EngineBackend b = reference(model)) {
            CancellationToken cancel = new CancellationToken();
            List<Integer> seen = new ArrayList<>();
            GenerationResult r = b.generate(GenerationRequest.greedy("Once", 50).withCancellation(cancel), (t, p) -> {
                seen.add(t);
                if (seen.size() == 3) {
                    cancel.cancel();
                }
            });
            assertEquals(StopReason.CANCELLED, r.stopReason());
            assertEquals(3, r.tokens().length);

            GenerationResult t = b.generate(GenerationRequest.greedy("Once", 400).withStopAtEos(false)
                    .withTimeout(Duration.ofNanos(1)), (x, p) -> { });
            assertEquals(StopReason.TIMEOUT, t.stopReason());
        }
        try (EngineBackend small = EngineBackend.open("reference", AccelerationType.CPU, model,
                BackendOptions.defaults().withContextLength(12), n -> new ScalarKernels())) {
            GenerationResult r = small.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100)
                    .withStopAtEos(false), (t, p) -> { });
            assertEquals(StopReason.CONTEXT_FULL, r.stopReason());
            assertEquals(12 - 5, r.tokens().length);
            assertThrows(IllegalArgumentException.class, () -> small.generate(
                    GenerationRequest.greedy("a long prompt that does not fit in twelve positions at all", 1), (t, p) -> { }));
        }
    }

    @Test
    void asyncGenerationCompletes() throws Exception {
        try (EngineBackend b = reference(SharedModels.require(SharedModels.STORIES_F32))) {
            GenerationResult r = b.generateAsync(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 5), (t, p) -> { },
                    Runnable::run).get();
            assertEquals(5, r.tokens().length);
        }
    }

    /** Host kernels get every matrix the forward pass multiplies by, once, before the first token. */
    @Test
    void opensPreparingEveryMatrixForTheKernels(@TempDir Path dir) {
        Path model = new TinyLlamaFixture().type(GgmlType.Q4_0).write(dir.resolve("q4.gguf"));
        RecordingKernels kernels = new RecordingKernels();
        try (EngineBackend b = EngineBackend.open("reference", AccelerationType.CPU, model, BackendOptions.defaults(),
                n -> kernels)) {
            assertEquals(2 * 7 + 1, kernels.prepared.size(), "7 matrices per layer and the output: " + kernels.prepared);
            assertEquals(kernels.prepared.size(), kernels.prepared.stream().distinct().count(), "once each");
            assertTrue(kernels.prepared.containsAll(List.of("blk.0.attn_q.weight", "blk.1.ffn_down.weight")));
            assertTrue(kernels.matmuls.isEmpty(), "prepared before any token");
            b.generate(GenerationRequest.greedy("a", 1), (t, p) -> { });
            assertTrue(kernels.prepared.containsAll(kernels.matmuls), "every matrix multiplied was prepared");
        }
    }

    /**
     * gpt-oss multiplies per-expert slices of its 3-D expert tensors: those slices are what the
     * kernels are shown (when the 3-D tensors were, a copy of them was never read and the experts
     * were read from the mapping beside copied attention weights, at about 60% of the speed).
     */
    @Test
    void gptOssKernelsArePreparedWithTheExpertSlicesTheyMultiply(@TempDir Path dir) {
        Path model = new GptOssFixture().write(dir.resolve("oss.gguf"));
        RecordingKernels kernels = new RecordingKernels();
        try (EngineBackend b = EngineBackend.open("reference", AccelerationType.CPU, model, BackendOptions.defaults(),
                n -> kernels)) {
            assertEquals(kernels.prepared.size(), kernels.prepared.stream().distinct().count(), "once each");
            assertTrue(kernels.prepared.contains("blk.0.ffn_down_exps.weight[3]"), kernels.prepared.toString());
            assertTrue(kernels.prepared.stream().noneMatch(n -> n.endsWith("_exps.weight")), "no 3-D tensor");
            b.generate(GenerationRequest.greedy("a", 3), (t, p) -> { });
            assertTrue(kernels.matmuls.stream().anyMatch(n -> n.contains("_exps.weight[")), kernels.matmuls.toString());
            assertTrue(kernels.prepared.containsAll(kernels.matmuls), "every matrix multiplied was prepared");
        }
    }

    @Test
    void missingFileIsATypedError() {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> reference(Path.of("no/such/model.gguf")));
        assertTrue(e.getMessage().contains("no/such/model.gguf"), e.getMessage());
    }
}
