package io.inferlab.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.inferlab.engine.runtime.WeightResidency;

class ComputeModesTest {

    @Test
    void cpuQuantizesActivationsToTheWeightTypesDotType() {
        assertEquals("q8_0 weights x q8_0 activations, f16 KV cache (llama.cpp b4916 ggml CPU, weights in memory)", ComputeModes.of("Q8_0", false, "Metal", 4916, WeightResidency.IN_MEMORY));
        assertEquals("q4_0 weights x q8_0 activations, f16 KV cache (llama.cpp b4916 ggml CPU, weights in memory)", ComputeModes.of("q4_0", false, "Metal", 4916, WeightResidency.IN_MEMORY));
        assertEquals("f32 weights x f32 activations, f16 KV cache (llama.cpp b4916 ggml CPU, weights in memory)", ComputeModes.of("f32", false, "Metal", 4916, WeightResidency.IN_MEMORY));
        assertEquals("f16", ComputeModes.cpuActivationType("f16"));
        assertEquals("bf16", ComputeModes.cpuActivationType("bf16"));
        assertEquals("q8_1", ComputeModes.cpuActivationType("q4_1"));
        assertEquals("q8_k", ComputeModes.cpuActivationType("q4_k"));
    }

    @Test
    void metalReadsF32Activations() {
        assertEquals("q4_0 weights x f32 activations, f16 KV cache (llama.cpp b4916 ggml Metal, weights in memory)", ComputeModes.of("q4_0", true, "Metal", 4916, WeightResidency.IN_MEMORY));
        assertEquals("q8_0 weights x f32 activations, f16 KV cache (llama.cpp ggml Metal, weights in memory)", ComputeModes.of("q8_0", true, "Metal", -1, WeightResidency.IN_MEMORY));
    }

    @Test
    void saysWhetherTheWeightsAreMappedOrInMemory() {
        assertEquals("q8_0 weights x q8_0 activations, f16 KV cache (llama.cpp b4916 ggml CPU, weights mapped)", ComputeModes.of("q8_0", false, "Metal", 4916, WeightResidency.MAPPED));
    }

    @Test
    void typeFromLlamaCppsModelDescription() {
        assertEquals("q8_0", ComputeModes.typeFromDescription("llama ?B Q8_0 (guessed)"));
        assertEquals("f32", ComputeModes.typeFromDescription("llama ?B all F32 (guessed)"));
        assertEquals("q4_k", ComputeModes.typeFromDescription("llama 1B Q4_K - Medium"));
        assertEquals("unknown", ComputeModes.typeFromDescription("llama 1B"));
    }
}
