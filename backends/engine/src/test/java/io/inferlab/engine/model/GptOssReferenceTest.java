package io.inferlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.engine.GptOssReference;
import io.inferlab.engine.SharedModels;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.runtime.EngineBackend;

/**
 * The scalar forward pass on {@code tiny-gpt-oss.gguf} against the independent float64 reference:
 * prompts tokenize as recorded, and teacher-forced on each continuation the top-5 logits match
 * within {@link #TOLERANCE} and the top-1 agrees wherever margin and routing gap are clear.
 */
class GptOssReferenceTest {
    /**
     * The README's "about 1e-2": float32 accumulation over 4 layers of a 201088-row output, against
     * float64. A wrong semantic (sliding window on the other layers, no YaRN magnitude scaling, a
     * missing bias or sink) moves logits by far more.
     */
    static final double TOLERANCE = 1e-2;

    @Test
    void scalarForwardPassMatchesTheReference() {
        List<GptOssReference.Prompt> prompts = GptOssReference.load();
        try (EngineBackend b = EngineBackend.open("reference", AccelerationType.CPU,
                SharedModels.require(SharedModels.TINY_GPT_OSS), BackendOptions.defaults(), n -> new ScalarKernels())) {
            assertEquals("gpt-oss", b.model().architecture());
            assertTrue(b.computeMode().contains("mxfp4 experts"), b.computeMode());
            assertArrayEquals(prompts.get(0).promptTokens(), b.encode(prompts.get(0).prompt()), "no BOS, plain text");
            for (GptOssReference.Prompt p : prompts) {
                GptOssReference.Comparison c = GptOssReference.compare(b, p);
                System.out.printf("tiny-gpt-oss scalar, prompt %s: %s%n", p.prompt(), c);
                assertTrue(c.maxAbsError() <= TOLERANCE, () -> "largest top-5 logit error " + c);
                assertEquals(c.clearSteps(), c.clearTop1Matches(), () -> "top-1 differs on a clear step: " + c);
            }
        }
    }
}
