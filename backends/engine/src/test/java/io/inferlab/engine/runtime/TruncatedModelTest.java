package io.inferlab.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file truncated on disk while it is memory-mapped and in use gives a typed error naming
 * the file, not a JVM crash. Reading a mapped page past the new end of the file raises SIGBUS;
 * HotSpot reports it as {@code InternalError: a fault occurred in an unsafe memory access
 * operation}, which {@code GgufFile.guard}, {@code Models.load} and {@code EngineBackend} turn into
 * {@code ModelFormatException}. Each case runs in a child JVM ({@link TruncatedModelChild}), so a
 * crash would fail this test instead of killing the test JVM (by experiment the JVM survives with
 * the InternalError; the child keeps it that way if a JIT or JDK change ever makes it die).
 */
class TruncatedModelTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tensor", "load", "logits"})
    void truncatingAMappedModelGivesATypedErrorNamingTheFile(String mode) throws Exception {
        Path file = dir.resolve("truncated-" + mode + ".gguf");
        Result r = runChild(mode, file);
        assertTrue(r.exitCode == 0, "child JVM exited with " + r.exitCode + " (a crash?): " + r.output);
        String line = r.output.stream().filter(l -> l.startsWith("typed ") || l.startsWith("untyped ")
                || l.contains("without error")).findFirst().orElse("(nothing) " + r.output);
        assertTrue(line.startsWith("typed ModelFormatException: " + file), line);
        assertTrue(line.contains("changed on disk"), line);
    }

    private record Result(int exitCode, List<String> output) {
    }

    private static Result runChild(String mode, Path file) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Output to a file, not a pipe read to its end: a hung child must hit the deadline below.
        Path log = Files.createTempFile("truncated-model-child", ".log");
        try {
            Process p = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), TruncatedModelChild.class.getName(), mode, file.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM hung: " + Files.readAllLines(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readAllLines(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
