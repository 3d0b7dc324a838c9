package io.inferlab.reports.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.inferlab.reports.FuzzFiles;
import io.inferlab.reports.ReportInputException;

/**
 * Coverage-guided fuzzing of the JMH JSON reader (result files come from other machines): every
 * input reads into a run (bad entries skipped with a reason) or fails with
 * {@link ReportInputException}; anything else is a finding. The reader takes a file, so each
 * input is written to one reused file (on /dev/shm when there is one). Seeds: entries of the
 * test fixtures' JMH files.
 */
public class JmhResultReaderFuzzTest {
    private static final Path FILE = FuzzFiles.file("jmh-result.json");
    private final JmhResultReader reader = new JmhResultReader();

    /** Entry point for Jazzer's standalone driver (scripts/fuzz.sh). */
    public static void fuzzerTestOneInput(byte[] data) {
        new JmhResultReaderFuzzTest().read(data);
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
            JmhRun run = reader.read(FILE);
            for (BenchmarkResult r : run.results()) {
                r.key().toString();
            }
        } catch (ReportInputException expected) {
            // the typed failure
        }
    }
}
