package io.inferlab.harness.adaptive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the selection config ({@code selection.json}): every input reads and
 * resolves for a model or fails with {@link AdaptiveConfigException}; anything else is a finding.
 * The reader takes a file, so each input is written to one reused file (on /dev/shm when there is
 * one, to keep executions fast). Seeds: configs from {@code SelectionConfigTest}.
 */
public class SelectionConfigFuzzTest {
    private static final Path FILE = FuzzFiles.file("selection.json");

    /** Entry point for Jazzer's standalone driver (scripts/fuzz.sh). */
    public static void fuzzerTestOneInput(byte[] data) {
        new SelectionConfigFuzzTest().read(data);
    }

    // Per-input time bound in regression mode (fuzzing uses libFuzzer's -timeout); @FuzzTest must come last.
    @Timeout(10)
    @FuzzTest(maxDuration = "30s")
    void read(byte[] data) {
        try {
            Files.write(FILE, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            SelectionConfig c = SelectionConfig.read(FILE);
            c.forModel(StoreFixtures.MODEL);
        } catch (AdaptiveConfigException expected) {
            // the typed failure
        }
    }
}
