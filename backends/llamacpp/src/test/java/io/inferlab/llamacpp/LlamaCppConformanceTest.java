package io.inferlab.llamacpp;

import static io.inferlab.engine.Logits.argmax;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.CancellationToken;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.GenerationTimings;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.StopReason;
import io.inferlab.api.TokenListener;
import io.inferlab.engine.SharedModels;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.runtime.EngineBackend;

/**
 * llama.cpp on the real stories260K files (../shared/models): the reference texts of its README,
 * the timings, the protocol's requests, and llama.cpp's logits against InferLab's scalar oracle.
 * One backend (one child JVM) per file, opened on first use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LlamaCppConformanceTest {
    /** llama.cpp's greedy 100-token continuation on stories260K-q8_0.gguf (shared/models/README.md): the F32 text. */
    static final String Q8_0_LLAMA_CPP_TEXT = SharedModels.STORIES_REFERENCE_TEXT;
    /** llama.cpp's greedy 100-token continuation on stories260K-q4_0.gguf (shared/models/README.md). */
    static final String Q4_0_LLAMA_CPP_TEXT = "Once upon a time, there was a little girl named Lily. She loved to play "
            + "outside in the sun. One day, she found a small box of paper on the ground. She was so happy and proud of "
            + "herself.\nLily was so happy and thanked her mommy for being so surprised. She said, \"I love s";

    private final List<InferenceBackend> opened = new ArrayList<>();
    private InferenceBackend f32;

    private InferenceBackend open(String file, BackendOptions options) {
        LlamaCppTestSupport.requireLibrary();
        Path model = SharedModels.require(file);
        InferenceBackend b = new LlamaCppBackendProvider().open(ModelSource.gguf(model), options);
        opened.add(b);
        return b;
    }

    private InferenceBackend f32() {
        if (f32 == null) {
            f32 = open(SharedModels.STORIES_F32, BackendOptions.defaults().withThreads(2));
        }
        return f32;
    }

    @AfterAll
    void closeAll() {
        opened.forEach(InferenceBackend::close);
        assertTrue(LlamaCppTestSupport.liveChildren().isEmpty(), "every child JVM has ended");
    }

    @Test
    void f32GreedyOutputIsTheReferenceText() {
        InferenceBackend b = f32();
        StringBuilder streamed = new StringBuilder();
        GenerationResult r = b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100),
                (token, piece) -> streamed.append(piece));
        assertEquals(SharedModels.STORIES_REFERENCE_TEXT, SharedModels.STORIES_PROMPT + r.text());
        assertEquals(r.text(), streamed.toString(), "the listener saw exactly the result's text");
        assertArrayEquals(SharedModels.STORIES_PROMPT_TOKENS, r.promptTokens());
        assertEquals(100, r.tokens().length);
        assertEquals(StopReason.MAX_TOKENS, r.stopReason());
        assertEquals("f32 weights x f32 activations, f16 KV cache (llama.cpp b4916 ggml CPU, weights in memory)", r.computeMode());
        assertEquals(r.text(), b.decode(r.tokens()), "decode prints tokens as generation streamed them");
    }

    @Test
    void timingsAreTheEnginesAndConsistent() {
        GenerationResult r = f32().generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 20), TokenListener.NONE);
        GenerationTimings t = r.timings();
        assertEquals(5, t.promptTokens());
        assertEquals(19, t.itlNs().length, "one gap between each pair of the 20 tokens");
        assertTrue(t.prefillNs() > 0 && t.prefillNs() <= t.ttftNs(), t.toString());
        assertTrue(t.ttftNs() + java.util.Arrays.stream(t.itlNs()).sum() <= t.e2eNs(), t.toString());
        assertTrue(java.util.Arrays.stream(t.itlNs()).allMatch(gap -> gap > 0), t.toString());
        assertTrue(t.decodeTokensPerSecond() > 0 && t.prefillTokensPerSecond() > 0);
        assertEquals(20, t.generatedTokens());
    }

    @Test
    void quantizedFilesGiveLlamaCppsRecordedTexts() {
        InferenceBackend q8 = open(SharedModels.STORIES_Q8_0, BackendOptions.defaults().withThreads(2));
        GenerationResult r8 = q8.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100), TokenListener.NONE);
        assertEquals(Q8_0_LLAMA_CPP_TEXT, SharedModels.STORIES_PROMPT + r8.text());
        assertEquals("q8_0 weights x q8_0 activations, f16 KV cache (llama.cpp b4916 ggml CPU, weights in memory)", r8.computeMode());

        // Read in place from the mapping (use_mmap), the same text.
        InferenceBackend q4 = open(SharedModels.STORIES_Q4_0, BackendOptions.defaults().withThreads(2).withMmap(true));
        GenerationResult r4 = q4.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100), TokenListener.NONE);
        assertEquals(Q4_0_LLAMA_CPP_TEXT, SharedModels.STORIES_PROMPT + r4.text());
        assertEquals("q4_0 weights x q8_0 activations, f16 KV cache (llama.cpp b4916 ggml CPU, weights mapped)", r4.computeMode());
    }

    @Test
    void tokenPromptsAreUsedExactly() {
        InferenceBackend b = f32();
        assertArrayEquals(SharedModels.STORIES_PROMPT_TOKENS, b.encode(SharedModels.STORIES_PROMPT));
        GenerationResult byText = b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 30), TokenListener.NONE);
        GenerationResult byTokens = b.generate(GenerationRequest.ofTokens(SharedModels.STORIES_PROMPT_TOKENS, 30),
                TokenListener.NONE);
        assertArrayEquals(byText.tokens(), byTokens.tokens());
        // Without BOS the model sees another context: the prompt is taken as given, nothing added.
        int[] noBos = java.util.Arrays.copyOfRange(SharedModels.STORIES_PROMPT_TOKENS, 1, 5);
        GenerationResult r = b.generate(GenerationRequest.ofTokens(noBos, 3), TokenListener.NONE);
        assertArrayEquals(noBos, r.promptTokens());
    }

    @Test
    void logitsMatchTheScalarOracle() {
        InferenceBackend llama = f32();
        int[] tokens = SharedModels.STORIES_PROMPT_TOKENS;
        float[][] ours;
        try (EngineBackend oracle = EngineBackend.open("scalar", AccelerationType.CPU,
                SharedModels.require(SharedModels.STORIES_F32), BackendOptions.defaults(), n -> new ScalarKernels())) {
            ours = oracle.logits(tokens);
        }
        float[][] theirs = llama.logits(tokens);
        assertEquals(tokens.length, theirs.length);
        for (int i = 0; i < tokens.length; i++) {
            assertEquals(512, theirs[i].length);
            float maxDiff = 0;
            for (int v = 0; v < 512; v++) {
                maxDiff = Math.max(maxDiff, Math.abs(theirs[i][v] - ours[i][v]));
            }
            // F32 weights and activations on both sides; llama.cpp rounds K and V to F16 in its
            // cache (relative error 2^-11), which moves these logits (|logit| < ~15) by a few 1e-3.
            assertTrue(maxDiff < 1e-2f, "position " + i + ": max |llama.cpp - scalar| = " + maxDiff);
            assertEquals(argmax(ours[i]), argmax(theirs[i]), "position " + i);
        }
    }

    @Test
    void cancellationAndTimeoutStopTheGenerationAndTheBackendGoesOn() {
        InferenceBackend b = f32();
        CancellationToken cancel = new CancellationToken();
        int[] seen = new int[1];
        GenerationResult cancelled = b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 400)
                .withCancellation(cancel), (token, piece) -> {
                    if (++seen[0] == 3) {
                        cancel.cancel();
                    }
                });
        assertEquals(StopReason.CANCELLED, cancelled.stopReason());
        assertTrue(cancelled.tokens().length >= 3 && cancelled.tokens().length < 400, cancelled.toString());

        GenerationResult timedOut = b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 400)
                .withTimeout(Duration.ofNanos(1)), TokenListener.NONE);
        assertEquals(StopReason.TIMEOUT, timedOut.stopReason());

        GenerationResult after = b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100), TokenListener.NONE);
        assertEquals(SharedModels.STORIES_REFERENCE_TEXT, SharedModels.STORIES_PROMPT + after.text());
    }

    @Test
    void aListenerThatThrowsStopsTheGenerationAndTheBackendGoesOn() {
        InferenceBackend b = f32();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 400), (token, piece) -> {
                    throw new IllegalStateException("the caller gave up");
                }));
        assertEquals("the caller gave up", e.getMessage());
        GenerationResult after = b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100), TokenListener.NONE);
        assertEquals(SharedModels.STORIES_REFERENCE_TEXT, SharedModels.STORIES_PROMPT + after.text());
    }

    @Test
    void aSmallContextFillsUp() {
        InferenceBackend small = open(SharedModels.STORIES_F32, BackendOptions.defaults().withThreads(1).withContextLength(16));
        GenerationResult r = small.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 100), TokenListener.NONE);
        assertEquals(StopReason.CONTEXT_FULL, r.stopReason());
        assertEquals(16 - 5, r.tokens().length);
        assertEquals(512, small.model().contextLength(), "the model's own context, as on the other backends");
    }

    @Test
    void badRequestsAreIllegalArgumentsAndLeaveTheBackendUsable() {
        InferenceBackend b = f32();
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> b.generate(GenerationRequest.ofTokens(new int[600], 1), TokenListener.NONE));
        assertTrue(tooLong.getMessage().contains("600 tokens"), tooLong.getMessage());
        IllegalArgumentException badId = assertThrows(IllegalArgumentException.class,
                () -> b.logits(new int[] {1, 512}));
        assertTrue(badId.getMessage().contains("token id 512"), badId.getMessage());
        assertEquals(3, b.generate(GenerationRequest.greedy("Once", 3), TokenListener.NONE).tokens().length);
    }

    @Test
    void modelInfoComesFromLlamaCppAndTheGgufHeader() {
        var info = f32().model();
        assertEquals("llama", info.architecture());
        assertEquals(512, info.vocabularySize());
        assertEquals(512, info.contextLength());
        assertEquals(java.util.Map.of("F32", info.tensorTypes().get("F32")), info.tensorTypes());
        try (EngineBackend oracle = EngineBackend.open("scalar", AccelerationType.CPU,
                SharedModels.require(SharedModels.STORIES_F32), BackendOptions.defaults(), n -> new ScalarKernels())) {
            assertEquals(oracle.model().bytesPerToken(), info.bytesPerToken(), "the same roofline numerator as the engine's");
            assertEquals(oracle.model().weightBytes(), info.weightBytes());
        }
    }

    @Test
    void llamaCppPrintsNothingOnOurStdout() {
        LlamaCppTestSupport.requireLibrary();
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try (InferenceBackend b = new LlamaCppBackendProvider().open(ModelSource.gguf(model),
                BackendOptions.defaults().withThreads(1))) {
            b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 5), TokenListener.NONE);
        } finally {
            System.setOut(saved);
        }
        assertEquals("", captured.toString(), "llama.cpp's logs go to the child's log, not to our stdout");
    }
}
