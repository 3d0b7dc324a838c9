package io.inferlab.llamacpp;

import java.util.Locale;

import io.inferlab.engine.runtime.WeightResidency;

/**
 * The compute mode string of llama.cpp runs. On the CPU, GGML converts the activations of a matrix
 * product to the weight type's {@code vec_dot_type} (ggml-cpu's type traits) before the dot
 * products: Q8_0 for Q4_0/Q5_0/Q8_0, Q8_1 for Q4_1/Q5_1, Q8_K for the K-quants, F16 for F16 and
 * BF16 for BF16; only F32 stays F32. Metal's matrix-vector kernels read F32 activations. llama.cpp
 * keeps the KV cache in F16 (its default {@code type_k}/{@code type_v}, which we do not change), so
 * its attention differs slightly from an F32-cache engine even on F32 weights.
 */
final class ComputeModes {
    private ComputeModes() {
    }

    /** With the weights read into memory (llama.cpp's {@code --no-mmap}) or mapped, as on the engine's own host backends. */
    static String of(String weightType, boolean onGpu, String gpuName, int buildNumber, WeightResidency residency) {
        String w = weightType.toLowerCase(Locale.ROOT);
        String activations = onGpu ? "f32" : cpuActivationType(w);
        String where = onGpu ? "ggml " + gpuName : "ggml CPU";
        return w + " weights x " + activations + " activations, f16 KV cache (llama.cpp " + (buildNumber > 0 ? "b" + buildNumber + " " : "")
                + where + ", " + residency.describe() + ")";
    }

    static String cpuActivationType(String weightType) {
        return switch (weightType) {
            case "q4_0", "q5_0", "q8_0", "iq4_nl" -> "q8_0";
            case "q4_1", "q5_1" -> "q8_1";
            case "q2_k", "q3_k", "q4_k", "q5_k", "q6_k", "iq4_xs", "iq2_xxs", "iq2_xs", "iq2_s", "iq3_xxs", "iq3_s",
                 "iq1_s", "iq1_m", "tq1_0", "tq2_0" -> "q8_k";
            case "f16" -> "f16";
            case "bf16" -> "bf16";
            default -> "f32";
        };
    }

    /**
     * The weight type from llama.cpp's model description (e.g. "llama ?B Q8_0 (guessed)" or
     * "llama 1B all F32"), for files InferLab's reader cannot read; "unknown" when absent.
     */
    static String typeFromDescription(String description) {
        String[] words = description.strip().split("\\s+");
        for (int i = words.length - 1; i >= 0; i--) {
            String word = words[i];
            if (word.matches("(?i)(F32|F16|BF16|Q\\d_\\w+|IQ\\d_\\w+|TQ\\d_\\d)")) {
                return word.toLowerCase(Locale.ROOT);
            }
        }
        return "unknown";
    }
}
