package io.inferlab.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.BackendFailedException;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.ModelFormatException;
import io.inferlab.api.ModelSource;
import io.inferlab.api.TokenListener;
import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.gguf.GgufWriter;
import io.inferlab.engine.SharedModels;

/**
 * The child JVM as a process: files llama.cpp rejects give typed errors with its reason, a child
 * killed mid-generation fails the request with its exit code and is reaped, and closing ends it.
 */
class LlamaCppIsolationTest {
    private final LlamaCppBackendProvider provider = new LlamaCppBackendProvider();

    @AfterEach
    void noChildIsLeft() {
        assertTrue(LlamaCppTestSupport.liveChildren().isEmpty(), "no llama.cpp child process outlives a test");
    }

    @Test
    void aFileThatIsNotGgufGivesLlamaCppsReason(@TempDir Path dir) throws IOException {
        LlamaCppTestSupport.requireLibrary();
        Path bad = dir.resolve("not-a-model.gguf");
        Files.writeString(bad, "NOTG this is a text file, not a GGUF model\n".repeat(20));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> provider.open(ModelSource.gguf(bad), BackendOptions.defaults().withThreads(1)));
        assertEquals(bad, e.file());
        assertTrue(e.getMessage().contains("llama.cpp cannot load it"), e.getMessage());
        assertTrue(e.getMessage().contains("invalid magic"), "llama.cpp's own words: " + e.getMessage());
    }

    @Test
    void aTruncatedGgufGivesLlamaCppsReason(@TempDir Path dir) throws IOException {
        LlamaCppTestSupport.requireLibrary();
        byte[] whole = Files.readAllBytes(SharedModels.require(SharedModels.STORIES_F32));
        Path cut = dir.resolve("truncated.gguf");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> provider.open(ModelSource.gguf(cut), BackendOptions.defaults().withThreads(1)));
        assertTrue(e.getMessage().contains("llama.cpp cannot load it: "), e.getMessage());
        assertTrue(e.getMessage().length() > (cut + ": llama.cpp cannot load it: ").length() + 10,
                "carries llama.cpp's reason: " + e.getMessage());
    }

    @Test
    void anArchitectureLlamaCppDoesNotKnowIsUnsupported(@TempDir Path dir) {
        LlamaCppTestSupport.requireLibrary();
        Path model = dir.resolve("unknown-arch.gguf");
        new GgufWriter().put("general.architecture", "inferlab-unknown")
                .addTensor("token_embd.weight", new long[] {4, 4}, new float[16]).write(model);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> provider.open(ModelSource.gguf(model), BackendOptions.defaults().withThreads(1)));
        assertTrue(e.getMessage().contains("unknown model architecture: 'inferlab-unknown'"), e.getMessage());
    }

    @Test
    void aMissingFileIsAFormatErrorWithoutStartingAChild(@TempDir Path dir) {
        Path missing = dir.resolve("missing.gguf");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> provider.open(ModelSource.gguf(missing), BackendOptions.defaults()));
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
    }

    @Test
    void aChildKilledMidGenerationFailsTheRequestAndIsReaped() {
        LlamaCppTestSupport.requireLibrary();
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        // One thread and the whole context: the child is still generating when the first token arrives.
        try (LlamaCppBackend b = provider.open(ModelSource.gguf(model), BackendOptions.defaults().withThreads(1),
                new LlamaCppOptions(0))) {
            long pid = b.childPid();
            ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
            BackendFailedException e = assertThrows(BackendFailedException.class,
                    () -> b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 10_000),
                            (token, piece) -> child.destroyForcibly()));
            assertTrue(e.getMessage().contains("pid " + pid) && e.getMessage().contains("exited with code"), e.getMessage());
            if (System.getProperty("os.name").startsWith("Linux")) {
                assertTrue(e.getMessage().contains("killed by signal 9"), e.getMessage());
            }
            assertFalse(child.isAlive(), "the killed child has been reaped");
            BackendFailedException again = assertThrows(BackendFailedException.class,
                    () -> b.generate(GenerationRequest.greedy("Once", 1), TokenListener.NONE));
            assertTrue(again.getMessage().contains("failed earlier"), again.getMessage());
            assertThrows(BackendFailedException.class, () -> b.encode("Once"));
        }
    }

    @Test
    void closingEndsTheChildJvm() throws Exception {
        LlamaCppTestSupport.requireLibrary();
        Path model = SharedModels.require(SharedModels.STORIES_F32);
        LlamaCppBackend b = provider.open(ModelSource.gguf(model), BackendOptions.defaults().withThreads(1),
                new LlamaCppOptions(0));
        Optional<ProcessHandle> child = ProcessHandle.of(b.childPid());
        assertTrue(child.isPresent() && child.get().isAlive());
        b.generate(GenerationRequest.greedy(SharedModels.STORIES_PROMPT, 5), TokenListener.NONE);
        b.close();
        // close() waits for the exit itself; onExit confirms it from the process table.
        child.get().onExit().get(10, TimeUnit.SECONDS);
        assertFalse(child.get().isAlive());
        assertThrows(IllegalStateException.class, () -> b.encode("Once"));
        b.close(); // idempotent
    }
}
