package io.inferlab.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Report files survive the report writer being killed mid-write: a real child JVM
 * ({@link ReportWriterChild}) regenerates a report over the previous one in a loop, the test
 * SIGKILLs it ({@link Process#destroyForcibly()}, SIGKILL on Linux) as soon as a write's
 * temporary file appears, and every file of the report (HTML, Markdown, CSV, PNG) must still be
 * complete: the same lines as a reference report of the same input, each PNG decodable. Retries
 * until a leftover temporary file proves that a kill interrupted a write.
 */
class KilledReportWriterTest {
    private static final int ATTEMPTS = 5;

    @TempDir
    Path dir;

    @Test
    void reportFilesStayCompleteWhenTheWriterIsKilledMidWrite() throws Exception {
        Path input = JmhFixtures.copy(JmhFixtures.CURRENT_OPENCL_SLOWER, dir.resolve("in"));
        Path reference = dir.resolve("reference");
        new ReportGenerator().generate(ReportOptions.of(input, reference));
        List<Path> files = files(reference);
        Path out = dir.resolve("report");

        boolean interruptedAWrite = false;
        for (int attempt = 0; attempt < ATTEMPTS && !interruptedAWrite; attempt++) {
            killMidWrite(input, out);
            for (Path ref : files) {
                assertSameShape(ref, out.resolve(reference.relativize(ref).toString()));
            }
            List<Path> leftovers = new ArrayList<>(hidden(out));
            leftovers.addAll(hidden(out.resolve("charts")));
            interruptedAWrite = !leftovers.isEmpty();
            for (Path p : leftovers) {
                assertTrue(p.getFileName().toString().endsWith(".tmp"), p.toString());
                Files.delete(p);
            }
        }
        assertTrue(interruptedAWrite, "no kill in " + ATTEMPTS + " attempts landed inside a write");
    }

    /** A complete file: as many lines as the reference (HTML ends with its closing tag); PNGs decode at the same size. */
    private static void assertSameShape(Path ref, Path got) throws IOException {
        assertTrue(Files.isRegularFile(got), got + " exists");
        String name = got.getFileName().toString();
        if (name.endsWith(".png")) {
            BufferedImage want = ImageIO.read(ref.toFile());
            BufferedImage image = ImageIO.read(got.toFile());
            assertNotNull(image, got + " decodes");
            assertEquals(want.getWidth(), image.getWidth(), got + " width");
            assertEquals(want.getHeight(), image.getHeight(), got + " height");
            return;
        }
        List<String> want = Files.readAllLines(ref, StandardCharsets.UTF_8);
        List<String> lines = Files.readAllLines(got, StandardCharsets.UTF_8);
        assertEquals(want.size(), lines.size(), got + ": line count of a complete file");
        if (name.endsWith(".html")) {
            assertEquals(want.getLast(), lines.getLast(), got + ": last line");
            assertTrue(String.join("\n", lines).contains("</html>"), got + " ends the document");
        }
    }

    /** Lets one report finish, then kills the writer as soon as the next write's temporary file appears. */
    private static void killMidWrite(Path input, Path out) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = new ProcessBuilder(java, "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                ReportWriterChild.class.getName(), input.toString(), out.toString()).redirectErrorStream(true).start();
        // A child that hangs without writing would block readLine for ever: killing it ends the stream.
        CompletableFuture<Void> watchdog = CompletableFuture.runAsync(p::destroyForcibly,
                CompletableFuture.delayedExecutor(120, TimeUnit.SECONDS));
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> seen = new ArrayList<>();
            for (String line; (line = r.readLine()) != null && !line.equals("written 1"); ) {
                seen.add(line);
            }
            assertTrue(p.isAlive(), "the writer died before its first report: " + seen);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (hidden(out).isEmpty() && hidden(out.resolve("charts")).isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "writer survived SIGKILL");
        } finally {
            watchdog.cancel(false);
            p.destroyForcibly();
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static List<Path> hidden(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(f -> f.getFileName().toString().startsWith(".")).toList();
        }
    }
}
