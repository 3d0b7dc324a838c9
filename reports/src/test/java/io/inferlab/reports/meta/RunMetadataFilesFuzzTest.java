package io.inferlab.reports.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.inferlab.reports.FuzzFiles;
import io.inferlab.reports.ReportInputException;

/**
 * Coverage-guided fuzzing of the run-metadata reader the reports use: every input reads or fails
 * with {@link ReportInputException}; anything else is a finding. Seeds: metadata as
 * {@code inferlab bench} writes it.
 */
public class RunMetadataFilesFuzzTest {
    private static final Path FILE = FuzzFiles.file(RunMetadataFiles.STORE_FILE);

    /** Entry point for Jazzer's standalone driver (scripts/fuzz.sh). */
    public static void fuzzerTestOneInput(byte[] data) {
        new RunMetadataFilesFuzzTest().read(data);
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
            RunMetadataFiles.read(FILE).toString();
        } catch (ReportInputException expected) {
            // the typed failure
        }
    }
}
