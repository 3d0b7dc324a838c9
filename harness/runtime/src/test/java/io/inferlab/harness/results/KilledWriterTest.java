package io.inferlab.harness.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Result files survive their writer being killed mid-write: a real child JVM
 * ({@link KilledWriterChild}) rewrites results with the production writers in a loop, the test
 * SIGKILLs it during a write, and the previous results must still parse and be complete. A kill
 * that happens to land between two writes proves nothing, so the test kills as soon as the write's
 * temporary file appears and retries until a leftover temporary file shows that a kill really
 * interrupted a write, checking the results after every kill.
 */
class KilledWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ATTEMPTS = 5;

    @Test
    void atomicFilesLeaveThePreviousFileCompleteWhenTheWriterIsKilledMidWrite(@TempDir Path dir, @TempDir Path scratch) throws Exception {
        Path file = dir.resolve(ResultStore.METADATA_FILE);
        boolean interruptedAWrite = false;
        for (int attempt = 0; attempt < ATTEMPTS && !interruptedAWrite; attempt++) {
            killDuringSecondWrite("atomic", dir, scratch);

            JsonNode doc = JSON.readTree(file.toFile());
            assertComplete(doc, file);
            List<Path> leftovers = hidden(dir);
            interruptedAWrite = !leftovers.isEmpty();
            for (Path p : leftovers) {
                // the killed writer's temporary file: never the target's name
                assertTrue(p.getFileName().toString().endsWith(".tmp"), p.toString());
                Files.delete(p);
            }
        }
        assertTrue(interruptedAWrite, "no kill in " + ATTEMPTS + " attempts landed inside a write");
    }

    @Test
    void resultStoreShowsOnlyCompleteRunsWhenTheWriterIsKilledMidSave(@TempDir Path root, @TempDir Path scratch) throws Exception {
        boolean interruptedASave = false;
        for (int attempt = 0; attempt < ATTEMPTS && !interruptedASave; attempt++) {
            killDuringSecondWrite("store", root, scratch);

            List<ResultStore.StoredRun> runs = new ResultStore(root).runs();
            List<Path> visible;
            try (Stream<Path> s = Files.list(root)) {
                visible = s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
            }
            assertEquals(visible.size(), runs.size(), "every visible run folder is a complete run: " + visible);
            assertFalse(runs.isEmpty(), "the first run was saved before the kill");
            for (ResultStore.StoredRun run : runs) {
                JsonNode result = JSON.readTree(run.result().toFile());
                assertComplete(result.get(0), run.result());
                assertEquals(KilledWriterChild.metadata(result.get(0).get("generation").asLong()).time(),
                        run.metadata().time(), "metadata of " + run.dir());
            }
            List<Path> leftovers = hidden(root);
            interruptedASave = !leftovers.isEmpty();
            for (Path p : leftovers) {
                assertTrue(p.getFileName().toString().startsWith(".incoming-"), p.toString());
                try (Stream<Path> files = Files.list(p)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(p);
            }
        }
        assertTrue(interruptedASave, "no kill in " + ATTEMPTS + " attempts landed inside a save");
    }

    /**
     * Starts the writer, lets the first write finish, and kills it as soon as the second write's
     * temporary file (or folder) appears, plus a random few milliseconds, so the kill lands while
     * the data is being written, before the rename.
     */
    /** {@code scratch}: where the child keeps its own input file (it is killed, so it cannot delete it). */
    private static void killDuringSecondWrite(String mode, Path dir, Path scratch) throws IOException, InterruptedException {
        try (ChildJvm child = ChildJvm.start(KilledWriterChild.class, mode, dir.toString(), scratch.toString())) {
            child.await("written 1"::equals, WAIT);
            child.await("writing 2"::equals, WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (hidden(dir).isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 5));
            child.kill();
        }
    }

    private static void assertComplete(JsonNode doc, Path file) {
        long generation = doc.get("generation").asLong();
        assertTrue(generation >= 1, file + ": generation " + generation);
        assertEquals(generation, doc.get("end").asLong(), file + ": both ends of the document agree");
        assertEquals(KilledWriterChild.PAYLOAD_CHARS, doc.get("payload").asText().length(), file + ": payload length");
    }

    private static List<Path> hidden(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
