package io.inferlab.engine.tokenizer;

import static io.inferlab.engine.tokenizer.TokenizerFixtures.BOS;
import static io.inferlab.engine.tokenizer.TokenizerFixtures.UNK;
import static io.inferlab.engine.tokenizer.TokenizerFixtures.metadata;
import static io.inferlab.engine.tokenizer.TokenizerFixtures.spm;
import static io.inferlab.engine.tokenizer.TokenizerFixtures.streamed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.inferlab.engine.gguf.GgufWriter;
import io.inferlab.engine.tokenizer.TokenizerFixtures.Piece;

class SentencePieceTokenizerTest {
    @TempDir
    Path dir;

    /** A vocabulary where "hello" and "world" build up through scored merges. */
    private static final List<Piece> WORDS = List.of(
            Piece.of("▁", -1), Piece.of("h", -2), Piece.of("e", -3), Piece.of("l", -4), Piece.of("o", -5),
            Piece.of("w", -6), Piece.of("r", -7), Piece.of("d", -8),
            Piece.of("ll", -10), Piece.of("he", -11), Piece.of("llo", -12), Piece.of("hello", -13),
            Piece.of("▁hello", -14), Piece.of("or", -15), Piece.of("▁w", -16), Piece.of("▁wor", -17),
            Piece.of("ld", -18), Piece.of("▁world", -19));

    private static final Consumer<GgufWriter> NO_PREFIX = w -> w.putBool(Tokenizers.ADD_SPACE_PREFIX, false);

    private SentencePieceTokenizer tokenizer(List<Piece> pieces) {
        return tokenizer(pieces, true, w -> { });
    }

    private SentencePieceTokenizer tokenizer(List<Piece> pieces, boolean byteTokens,
                                             Consumer<GgufWriter> more) {
        Tokenizer t = Tokenizers.fromMetadata(metadata(dir, spm(pieces, byteTokens).andThen(more)));
        return assertInstanceOf(SentencePieceTokenizer.class, t);
    }

    private static int[] ids(SentencePieceTokenizer t, String... texts) {
        return Arrays.stream(texts).mapToInt(s -> {
            int id = t.vocabulary().id(s);
            assertTrue(id >= 0, () -> "no token " + s);
            return id;
        }).toArray();
    }

    @Test
    void mergesThePairWithTheHighestScoreFirst() {
        List<Piece> base = List.of(Piece.of("a", 0), Piece.of("b", 0), Piece.of("c", 0));
        var bcWins = tokenizer(concat(base, Piece.of("ab", 1), Piece.of("bc", 2)), true, NO_PREFIX);
        assertArrayEquals(ids(bcWins, "a", "bc"), bcWins.encode("abc", false, false));

        var abWins = tokenizer(concat(base, Piece.of("ab", 3), Piece.of("bc", 2)), true, NO_PREFIX);
        assertArrayEquals(ids(abWins, "ab", "c"), abWins.encode("abc", false, false));
    }

    @Test
    void equalScoresMergeTheLeftmostPair() {
        var t = tokenizer(List.of(Piece.of("a", 0), Piece.of("aa", 1)), true, NO_PREFIX);
        assertArrayEquals(ids(t, "aa", "a"), t.encode("aaa", false, false));
        assertArrayEquals(ids(t, "aa", "aa", "a"), t.encode("aaaaa", false, false));
    }

    @Test
    void mergesBuildWholeWordsWithTheDummyPrefix() {
        var t = tokenizer(WORDS);
        assertArrayEquals(new int[] {BOS, ids(t, "▁hello")[0], ids(t, "▁world")[0]}, t.encodePrompt("hello world"));
        // Without BOS the prefix space is still added (llama.cpp prefixes the first text fragment).
        assertArrayEquals(ids(t, "▁hello", "▁world"), t.encode("hello world", false, false));
    }

    @Test
    void leadingSpaceIsDroppedOnlyAfterBos() {
        var t = tokenizer(WORDS);
        int[] prompt = t.encodePrompt("hello world");
        assertEquals("hello world", t.decode(prompt));
        assertEquals(" hello world", t.decode(Arrays.copyOfRange(prompt, 1, prompt.length)));
        // A text that starts with a space keeps it: the prefix adds one more, which decoding removes.
        assertEquals(" hello", t.decode(t.encodePrompt(" hello")));
    }

    @Test
    void withoutSpacePrefixTextIsTakenAsIs() {
        var t = tokenizer(WORDS, true, NO_PREFIX);
        assertArrayEquals(new int[] {BOS, ids(t, "hello")[0], ids(t, "▁world")[0]}, t.encodePrompt("hello world"));
        assertEquals("hello world", t.decode(t.encodePrompt("hello world")));
    }

    @Test
    void addBosTokenFalseLeavesBosOut() {
        var t = tokenizer(WORDS, true, w -> w.putBool(Tokenizers.ADD_BOS, false));
        assertArrayEquals(ids(t, "▁hello"), t.encodePrompt("hello"));
    }

    @Test
    void charactersOutsideTheVocabularyFallBackToByteTokens() {
        var t = tokenizer(WORDS);
        int byte0 = t.vocabulary().id("<0x00>");
        // "é" is C3 A9, "😀" is F0 9F 98 80; '▁' itself is a piece.
        int[] expected = {BOS, ids(t, "▁")[0], byte0 + 0xC3, byte0 + 0xA9, ids(t, "▁")[0],
                byte0 + 0xF0, byte0 + 0x9F, byte0 + 0x98, byte0 + 0x80};
        assertArrayEquals(expected, t.encodePrompt("é 😀"));
        assertEquals("é 😀", t.decode(expected));
    }

    @Test
    void withoutByteTokensUnknownCharactersBecomeTheUnknownToken() {
        var t = tokenizer(WORDS, false, w -> { });
        assertArrayEquals(new int[] {BOS, ids(t, "▁hello")[0], UNK}, t.encodePrompt("hello€"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello world", "  two  spaces ", "héllo wörld", "日本語のテキスト", "emoji 😀🎉 mixed",
            "combining e\u0301 mark", "tabs\tand\nnewlines\r\n", "\u0000 nul and \uFFFD", ""})
    void decodeInvertsEncode(String text) {
        var t = tokenizer(WORDS);
        assertEquals(text, t.decode(t.encodePrompt(text)));
        assertEquals(text, streamed(t.streamingDecoder(), t.encodePrompt(text)));
    }

    @Test
    void emptyTextIsJustBos() {
        var t = tokenizer(WORDS);
        assertArrayEquals(new int[] {BOS}, t.encodePrompt(""));
        assertArrayEquals(new int[0], t.encode("", false, false));
    }

    @Test
    void controlTokensRenderAsNothingUnlessAsked() {
        var t = tokenizer(WORDS);
        int[] tokens = {BOS, ids(t, "▁hello")[0], TokenizerFixtures.EOS};
        assertEquals("hello", t.decode(tokens));
        assertEquals("<s>hello</s>", t.decode(tokens, true));
        assertTrue(t.isEndOfGeneration(TokenizerFixtures.EOS));
    }

    @Test
    void specialTokensAreParsedOnlyWhenAsked() {
        var t = tokenizer(WORDS);
        // After a special token llama.cpp prefixes the next text fragment with a space again.
        assertArrayEquals(new int[] {BOS, ids(t, "▁hello")[0], TokenizerFixtures.EOS},
                t.encode("<s>hello</s>", false, true));
        int[] plain = t.encode("<s>hello</s>", false, false);
        assertTrue(Arrays.stream(plain).noneMatch(id -> id == BOS || id == TokenizerFixtures.EOS));
        assertEquals(" <s>hello</s>", t.decode(plain));
    }

    @Test
    void streamingHoldsBackIncompleteCharacters() {
        var t = tokenizer(WORDS);
        int[] tokens = t.encodePrompt("😀!");
        var decoder = t.streamingDecoder();
        List<String> parts = new ArrayList<>();
        for (int token : tokens) {
            parts.add(decoder.next(token));
        }
        // BOS, '▁', then four byte tokens: nothing until the emoji's last byte arrives.
        assertEquals(List.of("", "", "", "", "", "😀", "!"), parts);
        assertEquals("", decoder.finish());
    }

    @Test
    void streamingMatchesWholeDecodingEvenForMalformedBytes() {
        var t = tokenizer(WORDS);
        int byte0 = t.vocabulary().id("<0x00>");
        Random random = new Random(42);
        int[] pool = {byte0 + 0xC3, byte0 + 0xA9, byte0 + 0xE2, byte0 + 0x82, byte0 + 0xAC, byte0 + 0xF0,
                byte0 + 0x9F, byte0 + 0x98, byte0 + 0x80, byte0 + 0x41, byte0 + 0xFF, byte0 + 0xC0,
                BOS, ids(t, "▁hello")[0], ids(t, "▁")[0]};
        for (int round = 0; round < 500; round++) {
            int[] tokens = random.ints(1 + random.nextInt(12), 0, pool.length).map(i -> pool[i]).toArray();
            assertEquals(t.decode(tokens), streamed(t.streamingDecoder(), tokens), () -> Arrays.toString(tokens));
        }
        // A truncated character is held back, then flushed as U+FFFD, as decode() shows it.
        int[] truncated = {byte0 + 0xF0, byte0 + 0x9F};
        var decoder = t.streamingDecoder();
        assertEquals("", decoder.next(truncated[0]) + decoder.next(truncated[1]));
        assertEquals("\uFFFD", decoder.finish());
        assertEquals("\uFFFD", t.decode(truncated));
    }

    @Test
    void longInputsEncodeInNearLinearTime() {
        var t = tokenizer(List.of(Piece.of("a", 0), Piece.of("aa", 1), Piece.of("aaaa", 2), Piece.of("▁", 0)));
        String text = "a".repeat(200_000);
        int[] tokens = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> t.encode(text, false, false));
        // "▁" + 200000 a's: 50000 "aaaa" pieces after the prefix.
        assertEquals(1 + 50_000, tokens.length);
        assertEquals(text, t.decode(tokens).substring(1));
    }

    @Test
    void utf8OfDecodedBytesIsAssembledAcrossTokens() {
        var t = tokenizer(WORDS);
        byte[] bytes = "ü€𝄞".getBytes(StandardCharsets.UTF_8);
        int byte0 = t.vocabulary().id("<0x00>");
        int[] tokens = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            tokens[i] = byte0 + (bytes[i] & 0xFF);
        }
        assertEquals("ü€𝄞", t.decode(tokens));
    }

    private static List<Piece> concat(List<Piece> base, Piece... more) {
        List<Piece> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }
}
