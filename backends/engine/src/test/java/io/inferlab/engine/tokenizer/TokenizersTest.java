package io.inferlab.engine.tokenizer;

import static io.inferlab.engine.tokenizer.TokenizerFixtures.bpe;
import static io.inferlab.engine.tokenizer.TokenizerFixtures.metadata;
import static io.inferlab.engine.tokenizer.TokenizerFixtures.spm;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.ModelFormatException;
import io.inferlab.engine.gguf.GgufArray;
import io.inferlab.engine.gguf.GgufWriter;
import io.inferlab.engine.tokenizer.TokenizerFixtures.Piece;

/** Malformed tokenizer metadata is a {@link ModelFormatException} that names the key at fault. */
class TokenizersTest {
    @TempDir
    Path dir;

    private static final List<Piece> PIECES = List.of(Piece.of("▁", 0), Piece.of("a", 0));

    private void assertRejected(Consumer<GgufWriter> setup, String key, String... alsoMentioned) {
        var md = metadata(dir, setup);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Tokenizers.fromMetadata(md));
        assertTrue(e.getMessage().contains("'" + key + "'"), () -> "message does not name " + key + ": " + e.getMessage());
        for (String s : alsoMentioned) {
            assertTrue(e.getMessage().contains(s), () -> "message lacks '" + s + "': " + e.getMessage());
        }
    }

    @Test
    void wellFormedMetadataBuildsTheRightKind() {
        assertInstanceOf(SentencePieceTokenizer.class, Tokenizers.fromMetadata(metadata(dir, spm(PIECES, true))));
        assertInstanceOf(Gpt2Tokenizer.class, Tokenizers.fromMetadata(metadata(dir, bpe("gpt-4o", List.of(), List.of("a b")))));
    }

    @Test
    void missingModelKey() {
        assertRejected(w -> w.put(Tokenizers.TOKENS, GgufArray.of("a")), Tokenizers.MODEL);
    }

    @Test
    void unknownTokenizerModel() {
        assertRejected(spm(PIECES, true).andThen(w -> w.put(Tokenizers.MODEL, "bert")), Tokenizers.MODEL, "bert", "llama", "gpt2");
    }

    @Test
    void missingTokens() {
        assertRejected(w -> w.put(Tokenizers.MODEL, "llama").put(Tokenizers.SCORES, GgufArray.of(0f)), Tokenizers.TOKENS);
        assertRejected(w -> w.put(Tokenizers.MODEL, "gpt2").put(Tokenizers.MERGES, GgufArray.of("a b")), Tokenizers.TOKENS);
    }

    @Test
    void tokensOfTheWrongType() {
        assertRejected(spm(PIECES, true).andThen(w -> w.put(Tokenizers.TOKENS, GgufArray.of(1, 2, 3))), Tokenizers.TOKENS);
    }

    @Test
    void missingScoresForSentencePiece() {
        assertRejected(w -> w.put(Tokenizers.MODEL, "llama").put(Tokenizers.TOKENS, GgufArray.of("a", "b")), Tokenizers.SCORES);
    }

    @Test
    void scoresLengthMismatch() {
        assertRejected(spm(PIECES, true).andThen(w -> w.put(Tokenizers.SCORES, GgufArray.of(0f, 1f))), Tokenizers.SCORES);
    }

    @Test
    void tokenTypeLengthMismatchOrUnknownCode() {
        assertRejected(spm(PIECES, true).andThen(w -> w.put(Tokenizers.TOKEN_TYPE, GgufArray.of(1, 1))), Tokenizers.TOKEN_TYPE);
        int[] bad = new int[3 + 256 + PIECES.size()];
        java.util.Arrays.fill(bad, 9);
        assertRejected(spm(PIECES, true).andThen(w -> w.put(Tokenizers.TOKEN_TYPE, GgufArray.of(bad))), Tokenizers.TOKEN_TYPE);
    }

    @Test
    void specialIdsOutsideTheVocabulary() {
        assertRejected(spm(PIECES, true).andThen(w -> w.putUInt32(Tokenizers.BOS_ID, 100_000)), Tokenizers.BOS_ID, "100000");
        assertRejected(spm(PIECES, true).andThen(w -> w.putUInt32(Tokenizers.EOS_ID, 261)), Tokenizers.EOS_ID);
        assertRejected(bpe("gpt2", List.of(), List.of()).andThen(w -> w.putInt32(Tokenizers.EOT_ID, -5)), Tokenizers.EOT_ID);
    }

    @Test
    void addBosWithoutBos() {
        assertRejected(w -> w.put(Tokenizers.MODEL, "gpt2").put(Tokenizers.TOKENS, GgufArray.of("a", "b"))
                .put(Tokenizers.MERGES, GgufArray.of("a b")).putBool(Tokenizers.ADD_BOS, true), Tokenizers.ADD_BOS);
    }

    @Test
    void unknownPreTokenizerListsTheSupportedOnes() {
        assertRejected(bpe("mystery", List.of(), List.of()), Tokenizers.PRE, "mystery", "gpt-4o", "llama3", "gpt2");
    }

    @Test
    void missingOrMalformedMerges() {
        assertRejected(w -> w.put(Tokenizers.MODEL, "gpt2").put(Tokenizers.TOKENS, GgufArray.of("a", "b")), Tokenizers.MERGES);
        assertRejected(bpe("gpt2", List.of(), List.of()).andThen(w -> w.put(Tokenizers.MERGES, GgufArray.of("ab"))),
                Tokenizers.MERGES, "'ab'");
    }
}
