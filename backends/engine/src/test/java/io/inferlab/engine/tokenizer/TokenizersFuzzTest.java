package io.inferlab.engine.tokenizer;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.inferlab.api.ModelFormatException;
import io.inferlab.engine.fuzz.TypedFailure;
import io.inferlab.engine.gguf.GgufFile;

/**
 * Coverage-guided fuzzing of tokenizer construction from GGUF metadata (SentencePiece and GPT-2
 * BPE: vocabulary, scores, token types, merges, special ids), then one encode/decode round so a
 * vocabulary that constructs but breaks the tokenizer is found too. Every input must build or
 * fail with {@link ModelFormatException}.
 */
public class TokenizersFuzzTest {
    private static final Path SOURCE = Path.of("fuzz-tokenizer.gguf");
    private static final String TEXT = "Hello world, <s> h\u00e9llo \u2581x 123 <|endoftext|>";

    /** Entry point for Jazzer's standalone driver (scripts/fuzz.sh runs campaigns through it). */
    public static void fuzzerTestOneInput(byte[] data) {
        new TokenizersFuzzTest().fromMetadata(data);
    }

    // Per-input time bound in regression mode (fuzzing uses libFuzzer's -timeout); @FuzzTest must come last.
    @Timeout(10)
    @FuzzTest(maxDuration = "30s")
    void fromMetadata(byte[] data) {
        TypedFailure.expect(() -> {
            try (GgufFile f = GgufFile.read(SOURCE, MemorySegment.ofArray(data))) {
                VocabularyTokenizer t = Tokenizers.fromMetadata(f.metadata());
                // As the engine encodes: BOS only when the vocabulary asks for it (encode with
                // addBos=true on a vocabulary without BOS is a caller error, IllegalArgumentException).
                t.decode(t.encodePrompt(TEXT));
                t.decode(t.encode(TEXT, t.addsBos(), true), true);
            }
        }, ModelFormatException.class);
    }
}
