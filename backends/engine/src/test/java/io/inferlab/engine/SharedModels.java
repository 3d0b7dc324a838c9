package io.inferlab.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.tokenizer.Tokenizers;
import io.inferlab.engine.tokenizer.VocabularyTokenizer;

/**
 * The real test models in {@code ../shared/models/} beside the project (see its README). Tests
 * that need one call {@link #require}, which skips the test with a message when it is absent, so
 * a fresh clone without the folder still passes.
 */
public final class SharedModels {
    public static final String STORIES_F32 = "stories260K.gguf";
    public static final String STORIES_Q8_0 = "stories260K-q8_0.gguf";
    public static final String STORIES_Q4_0 = "stories260K-q4_0.gguf";
    public static final String TINY_GPT_OSS = "tiny-gpt-oss.gguf";

    /** Greedy 100-token continuation of "Once upon a time" from the F32 (and Q8_0) file. */
    public static final String STORIES_REFERENCE_TEXT = "Once upon a time, there was a little girl named Lily. "
            + "She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it, "
            + "but it was too high.\nLily's mom said, \"Lily, let's go to the park.\" Lily was sad and didn't know "
            + "what to do";
    public static final String STORIES_PROMPT = "Once upon a time";
    public static final int[] STORIES_PROMPT_TOKENS = {1, 403, 407, 261, 378};

    /** Built once per test JVM: the o200k_harmony vocabulary (446189 merges) takes seconds to load. */
    private static VocabularyTokenizer tinyGptOssTokenizer;

    private SharedModels() {
    }

    /** tiny-gpt-oss.gguf's tokenizer (o200k_harmony), shared by the tests that need it; skips when absent. */
    public static synchronized VocabularyTokenizer tinyGptOssTokenizer() {
        Path model = require(TINY_GPT_OSS);
        if (tinyGptOssTokenizer == null) {
            try (GgufFile f = GgufFile.open(model)) {
                tinyGptOssTokenizer = Tokenizers.fromMetadata(f.metadata());
            }
        }
        return tinyGptOssTokenizer;
    }

    /** The folder: system property {@code inferlab.shared.models}, else {@code ../shared/models}. */
    public static Path dir() {
        String prop = System.getProperty("inferlab.shared.models");
        return prop != null ? Path.of(prop) : Path.of("..", "shared", "models");
    }

    /** The named model, or the test is skipped with a message saying where it was looked for. */
    public static Path require(String name) {
        Path p = dir().resolve(name);
        assumeTrue(Files.isRegularFile(p), () -> "skipped: shared test model " + p.toAbsolutePath()
                + " is absent (the ../shared/models folder beside the project provides it)");
        return p;
    }
}
