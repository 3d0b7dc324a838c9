package io.inferlab.engine.tokenizer;

import static io.inferlab.engine.tokenizer.TokenizerFixtures.bpe;
import static io.inferlab.engine.tokenizer.TokenizerFixtures.metadata;
import static io.inferlab.engine.tokenizer.TokenizerFixtures.streamed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.inferlab.engine.gguf.GgufWriter;
import io.inferlab.engine.tokenizer.TokenizerFixtures.Piece;

class Gpt2TokenizerTest {
    @TempDir
    Path dir;

    /** "hello" and " world" build up through ranked merges ('Ġ' is the byte character of a space). */
    private static final List<String> MERGES = List.of(
            "l l", "h e", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld");

    private static final List<Piece> SPECIALS = List.of(
            new Piece("<|start|>", 0, 3), new Piece("<|end|>", 0, 3), new Piece("<|end|>!", 0, 3),
            new Piece("<tool>", 0, 4));

    private Gpt2Tokenizer tokenizer(List<String> merges) {
        return tokenizer("gpt2", merges, w -> { });
    }

    private Gpt2Tokenizer tokenizer(String pre, List<String> merges, Consumer<GgufWriter> more) {
        Tokenizer t = Tokenizers.fromMetadata(metadata(dir, bpe(pre, SPECIALS, merges).andThen(more)));
        return assertInstanceOf(Gpt2Tokenizer.class, t);
    }

    private static int[] ids(Gpt2Tokenizer t, String... texts) {
        return Arrays.stream(texts).mapToInt(s -> {
            int id = t.vocabulary().id(s);
            assertTrue(id >= 0, () -> "no token " + s);
            return id;
        }).toArray();
    }

    @Test
    void byteCharactersFollowGpt2sMapping() {
        assertEquals('Ġ', ByteLevel.charOf(' '));
        assertEquals('Ċ', ByteLevel.charOf('\n'));
        assertEquals('ĉ', ByteLevel.charOf('\t'));
        assertEquals('Ā', ByteLevel.charOf(0));
        assertEquals('A', ByteLevel.charOf('A'));
        assertEquals('©', ByteLevel.charOf(0xA9));
        assertEquals('ł', ByteLevel.charOf(0xA0)); // no-break space: the 67th remapped byte
        assertEquals('Ń', ByteLevel.charOf(0xAD)); // soft hyphen: the 68th and last
        Set<Character> seen = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            assertTrue(seen.add(ByteLevel.charOf(b)));
            assertEquals(b, ByteLevel.byteOf(ByteLevel.charOf(b)));
        }
    }

    @Test
    void mergesApplyInRankOrder() {
        var abFirst = tokenizer(List.of("a b", "b c"));
        assertArrayEquals(ids(abFirst, "ab", "c"), abFirst.encodePrompt("abc"));
        var bcFirst = tokenizer(List.of("b c", "a b"));
        assertArrayEquals(ids(bcFirst, "a", "bc"), bcFirst.encodePrompt("abc"));
        // Equal candidates: the leftmost pair merges first.
        var aa = tokenizer(List.of("a a"));
        assertArrayEquals(ids(aa, "aa", "aa", "a"), aa.encodePrompt("aaaaa"));
    }

    @Test
    void wordsAreMergedWithinPreTokensOnly() {
        var t = tokenizer(MERGES);
        assertArrayEquals(ids(t, "hello", "Ġworld"), t.encodePrompt("hello world"));
        // No BOS for gpt2 vocabularies unless add_bos_token says so.
        assertEquals(-1, Arrays.stream(t.encodePrompt("hello")).filter(id -> id == t.bos()).findAny().orElse(-1));
        // "hello" then " world" never merge across the pre-token boundary, even with a rule for it.
        var across = tokenizer(concatMerges(MERGES, "o Ġ"));
        assertArrayEquals(ids(across, "hello", "Ġworld"), across.encodePrompt("hello world"));
    }

    @Test
    void addBosTokenTrueAddsBos() {
        var t = tokenizer("gpt2", MERGES, w -> w.putBool(Tokenizers.ADD_BOS, true));
        assertArrayEquals(new int[] {0, ids(t, "hello")[0]}, t.encodePrompt("hello"));
    }

    @Test
    void bytesWithoutMergesStayByteTokens() {
        var t = tokenizer(MERGES);
        // "é" is C3 A9: two byte characters 'Ã' and '©'.
        assertArrayEquals(ids(t, "Ã", "©"), t.encodePrompt("é"));
        assertEquals("é", t.decode(ids(t, "Ã", "©")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello world", "  two  spaces ", "héllo wörld", "日本語のテキスト", "emoji 😀🎉",
            "it's DON'T 12345", "tabs\tand\nnewlines\r\n", "<|start|>not special", ""})
    void decodeInvertsEncode(String text) {
        for (String pre : List.of("gpt2", "llama3", "gpt-4o", "qwen2")) {
            var t = tokenizer(pre, MERGES, w -> { });
            int[] tokens = t.encodePrompt(text);
            assertEquals(text, t.decode(tokens), pre);
            assertEquals(text, streamed(t.streamingDecoder(), tokens), pre);
        }
    }

    @Test
    void specialTokensAreParsedWhenAskedLongestFirst() {
        var t = tokenizer(MERGES);
        int start = t.vocabulary().id("<|start|>");
        int end = t.vocabulary().id("<|end|>");
        int endBang = t.vocabulary().id("<|end|>!");
        assertArrayEquals(new int[] {start, ids(t, "hello")[0], endBang, end, ids(t, "Ġworld")[0]},
                t.encode("<|start|>hello<|end|>!<|end|> world", false, true));
        int[] plain = t.encode("<|start|>hello", false, false);
        assertTrue(Arrays.stream(plain).noneMatch(id -> id == start));
        assertEquals("<|start|>hello", t.decode(plain));
    }

    @Test
    void userDefinedTokensAreAlwaysWords() {
        var t = tokenizer(MERGES);
        int tool = t.vocabulary().id("<tool>");
        assertArrayEquals(new int[] {tool, ids(t, "hello")[0]}, t.encode("<tool>hello", false, false));
        assertEquals("<tool>hello", t.decode(new int[] {tool, ids(t, "hello")[0]}));
    }

    @Test
    void controlTokensRenderOnlyWhenAsked() {
        var t = tokenizer(MERGES);
        int[] tokens = t.encode("<|start|>hello<|end|>", false, true);
        assertEquals("hello", t.decode(tokens));
        assertEquals("<|start|>hello<|end|>", t.decode(tokens, true));
        assertEquals("<|start|>hello<|end|>", streamed(t.streamingDecoder(true), tokens));
        assertEquals("hello", streamed(t.streamingDecoder(), tokens));
    }

    @Test
    void endOfGenerationIncludesEotAndEom() {
        var t = tokenizer("gpt2", MERGES, w -> w.putUInt32(Tokenizers.EOT_ID, 3).putUInt32(Tokenizers.EOM_ID, 4));
        assertTrue(t.isEndOfGeneration(1));
        assertTrue(t.isEndOfGeneration(3));
        assertTrue(t.isEndOfGeneration(4));
        assertTrue(!t.isEndOfGeneration(0) && !t.isEndOfGeneration(5));
    }

    @Test
    void streamingHoldsBackSplitCharacters() {
        var t = tokenizer(MERGES);
        var decoder = t.streamingDecoder();
        assertEquals("", decoder.next(ids(t, "Ã")[0]));
        assertEquals("é", decoder.next(ids(t, "©")[0]));
        assertEquals("hello", decoder.next(ids(t, "hello")[0]));
    }

    @Test
    void repeatedEncodingGivesTheSameTokens() {
        var t = tokenizer(MERGES);
        String text = "hello world ".repeat(50);
        assertArrayEquals(t.encodePrompt(text), t.encodePrompt(text));
    }

    @Test
    void longPreTokensEncodeInNearLinearTime() {
        var t = tokenizer(List.of("a a", "aa aa"));
        String text = "a".repeat(200_000); // one pre-token: a run of letters
        int[] tokens = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> t.encodePrompt(text));
        assertEquals(50_000, tokens.length);
        assertEquals(text, t.decode(tokens));
    }

    private static List<String> concatMerges(List<String> merges, String... more) {
        List<String> out = new java.util.ArrayList<>(merges);
        out.addAll(List.of(more));
        return out;
    }
}
