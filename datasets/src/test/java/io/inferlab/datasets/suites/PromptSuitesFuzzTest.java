package io.inferlab.datasets.suites;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of prompt-suite parsing and validation: every input parses into a valid
 * suite or fails with {@link SuiteFormatException}; anything else (another exception, an
 * {@link OutOfMemoryError}, a stack overflow, a hang) is a finding. Seeds: the built-in suites.
 * Under plain {@code mvn test} this replays the stored inputs; scripts/fuzz.sh fuzzes it.
 */
public class PromptSuitesFuzzTest {
    /** Entry point for Jazzer's standalone driver (scripts/fuzz.sh). */
    public static void fuzzerTestOneInput(byte[] data) {
        new PromptSuitesFuzzTest().read(data);
    }

    // Per-input time bound in regression mode (fuzzing uses libFuzzer's -timeout); @FuzzTest must come last.
    @Timeout(10)
    @FuzzTest(maxDuration = "30s")
    void read(byte[] data) {
        try {
            PromptSuite suite = PromptSuites.parse("fuzz-suite.json", data);
            suite.toString();
        } catch (SuiteFormatException expected) {
            // the typed failure
        }
    }
}
