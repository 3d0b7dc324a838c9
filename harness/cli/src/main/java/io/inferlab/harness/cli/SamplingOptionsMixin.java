package io.inferlab.harness.cli;

import io.inferlab.api.SamplingParams;
import picocli.CommandLine.Option;

/** The sampling options of the commands that generate ({@code generate}, {@code chat}). */
final class SamplingOptionsMixin {
    @Option(names = "--temperature", defaultValue = "0.8", description = "Sampling temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "40", description = "Keep the k most likely tokens; 0 = all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "Nucleus probability mass (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed for sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    SamplingParams toParams() {
        return new SamplingParams(temperature, topK, topP, seed);
    }

    /** The shared check of {@code --max-tokens}, whose default differs per command. */
    static void requireMaxTokens(int maxTokens) {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("--max-tokens must be >= 0, got " + maxTokens);
        }
    }
}
