package io.inferlab.engine.model;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.inferlab.api.ModelFormatException;
import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.fuzz.TypedFailure;
import io.inferlab.engine.gguf.GgufFile;

/**
 * Coverage-guided fuzzing of model loading (llama and gpt-oss configs, weights and their shapes
 * and types per tensor): every input loads or fails with {@link ModelFormatException} /
 * {@link UnsupportedModelException}. Seeds: tiny llama and gpt-oss fixtures
 * ({@code io.inferlab.engine.gguf.GgufFuzzSeeds}).
 */
public class ModelsFuzzTest {
    private static final Path SOURCE = Path.of("fuzz-model.gguf");

    /** Entry point for Jazzer's standalone driver (scripts/fuzz.sh runs campaigns through it). */
    public static void fuzzerTestOneInput(byte[] data) {
        new ModelsFuzzTest().load(data);
    }

    // Per-input time bound in regression mode (fuzzing uses libFuzzer's -timeout); @FuzzTest must come last.
    @Timeout(10)
    @FuzzTest(maxDuration = "30s")
    void load(byte[] data) {
        TypedFailure.expect(() -> {
            try (GgufFile f = GgufFile.read(SOURCE, MemorySegment.ofArray(data))) {
                Models.load(f);
            }
        }, ModelFormatException.class, UnsupportedModelException.class);
    }
}
