package io.inferlab.harness.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of reading a stored run's {@code run-metadata.json} (files that come
 * from other machines): {@link ResultStore#read} must return the run or skip it (empty) for every
 * input, never throw; anything thrown is a finding. The run folder is reused across inputs, on
 * /dev/shm when there is one. Seeds: metadata as {@code inferlab bench} writes it.
 */
public class ResultStoreFuzzTest {
    private static final Path RUN = folder();

    /** Entry point for Jazzer's standalone driver (scripts/fuzz.sh). */
    public static void fuzzerTestOneInput(byte[] data) {
        new ResultStoreFuzzTest().read(data);
    }

    // Per-input time bound in regression mode (fuzzing uses libFuzzer's -timeout); @FuzzTest must come last.
    @Timeout(10)
    @FuzzTest(maxDuration = "30s")
    void read(byte[] data) {
        try {
            Files.write(RUN.resolve(ResultStore.METADATA_FILE), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ResultStore.read(RUN).ifPresent(run -> run.metadata().toString());
    }

    private static Path folder() {
        try {
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "inferlab-fuzz-run-") : Files.createTempDirectory("inferlab-fuzz-run-");
            Files.writeString(dir.resolve(ResultStore.RESULT_FILE), "[{\"benchmark\":\"io.inferlab.jmh.DecodeBench.decode\"}]");
            dir.toFile().deleteOnExit();
            dir.resolve(ResultStore.RESULT_FILE).toFile().deleteOnExit();
            dir.resolve(ResultStore.METADATA_FILE).toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
