package io.inferlab.engine.tokenizer;

import static io.inferlab.engine.tokenizer.TokenizerFixtures.streamed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.engine.SharedModels;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.gguf.GgufMetadata;

/**
 * Conformance with llama.cpp on the shared real vocabularies: stories260K's 512-piece
 * SentencePiece vocabulary, and tiny-gpt-oss's o200k_harmony vocabulary (201088 tokens, 446189
 * merges) against the token lists llama.cpp produced, recorded in its reference JSON.
 */
class RealModelTokenizerTest {
    private static GgufMetadata gptOssMetadata;
    private static Gpt2Tokenizer gptOss;
    private static long gptOssBuildNs;

    private static Tokenizer stories() {
        try (GgufFile f = GgufFile.open(SharedModels.require(SharedModels.STORIES_F32))) {
            return Tokenizers.fromMetadata(f.metadata());
        }
    }

    /** Loaded once for the class: the vocabulary is large and several tests use it. */
    private static synchronized Gpt2Tokenizer gptOss() {
        Path model = SharedModels.require(SharedModels.TINY_GPT_OSS);
        if (gptOss == null) {
            try (GgufFile f = GgufFile.open(model)) {
                gptOssMetadata = f.metadata();
            }
            long t0 = System.nanoTime();
            gptOss = assertInstanceOf(Gpt2Tokenizer.class, Tokenizers.fromMetadata(gptOssMetadata));
            gptOssBuildNs = System.nanoTime() - t0;
        }
        return gptOss;
    }

    private record Reference(String prompt, int[] promptTokens, int[] continuation) { }

    private static List<Reference> references() throws IOException {
        Path json = SharedModels.require("tiny-gpt-oss.reference.json");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        List<Reference> out = new ArrayList<>();
        for (JsonNode p : root) {
            out.add(new Reference(p.get("prompt").asText(), ints(p.get("prompt_tokens")), ints(p.get("continuation"))));
        }
        return out;
    }

    private static int[] ints(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
    }

    @Test
    void storiesPromptMatchesLlamaCpp() {
        Tokenizer t = stories();
        assertInstanceOf(SentencePieceTokenizer.class, t);
        assertEquals(512, t.vocabularySize());
        assertArrayEquals(SharedModels.STORIES_PROMPT_TOKENS, t.encodePrompt(SharedModels.STORIES_PROMPT));
        assertEquals(SharedModels.STORIES_PROMPT, t.decode(SharedModels.STORIES_PROMPT_TOKENS));
        assertEquals(1, t.bos());
        assertEquals(2, t.eos());
        assertTrue(t.isEndOfGeneration(2));
    }

    @Test
    void storiesReferenceTextRoundTrips() {
        Tokenizer t = stories();
        int[] tokens = t.encodePrompt(SharedModels.STORIES_REFERENCE_TEXT);
        assertEquals(SharedModels.STORIES_REFERENCE_TEXT, t.decode(tokens));
        assertEquals(SharedModels.STORIES_REFERENCE_TEXT, streamed(t.streamingDecoder(), tokens));
    }

    @Test
    void gptOssVocabularyLoadsQuickly() {
        Gpt2Tokenizer t = gptOss();
        assertEquals(201_088, t.vocabularySize());
        assertEquals("gpt-4o", t.preTokenizerName());
        assertEquals(446_189, gptOssMetadata.getStringArray(Tokenizers.MERGES).length);
        assertTrue(t.mergeCount() > 440_000, () -> "usable merges: " + t.mergeCount());
        assertFalse(t.addsBos());
        assertEquals(200_006, t.vocabulary().id("<|start|>"));
        assertEquals(TokenType.CONTROL, t.vocabulary().type(200_006));
        assertTrue(t.isEndOfGeneration(t.eos()));
        // The brief is ~2 s on the 2-core build host; allow slack for a loaded machine.
        double seconds = gptOssBuildNs / 1e9;
        System.out.printf("tiny-gpt-oss tokenizer built from metadata in %.2f s (%d usable merges)%n", seconds, t.mergeCount());
        assertTrue(seconds < 6, () -> "building the tokenizer took " + seconds + " s");
    }

    @Test
    void gptOssPlainPromptMatchesLlamaCpp() throws IOException {
        Gpt2Tokenizer t = gptOss();
        Reference plain = references().get(0);
        assertArrayEquals(plain.promptTokens(), t.encodePrompt(plain.prompt()));
        assertArrayEquals(plain.promptTokens(), t.encode(plain.prompt(), false, true));
        assertEquals(plain.prompt(), t.decode(plain.promptTokens()));
    }

    @Test
    void gptOssHarmonyPromptMatchesLlamaCpp() throws IOException {
        Gpt2Tokenizer t = gptOss();
        Reference harmony = references().get(1);
        assertTrue(harmony.prompt().startsWith("<|start|>"));
        assertArrayEquals(harmony.promptTokens(), t.encode(harmony.prompt(), false, true));
        assertEquals(harmony.prompt(), t.decode(harmony.promptTokens(), true));
        assertEquals("userWhat is 2+2?assistant", t.decode(harmony.promptTokens()));
        // Without special-token parsing the markers are plain text.
        assertFalse(Arrays.stream(t.encode(harmony.prompt(), false, false)).anyMatch(id -> id >= 199_998));
    }

    @Test
    void gptOssContinuationsStreamAsTheyDecode() throws IOException {
        Gpt2Tokenizer t = gptOss();
        for (Reference r : references()) {
            for (boolean special : new boolean[] {false, true}) {
                assertEquals(t.decode(r.continuation(), special), streamed(t.streamingDecoder(special), r.continuation()));
            }
        }
    }

    /** Random text over letters of several scripts, digits, punctuation, spaces and emoji. */
    private static List<String> randomTexts(long seed, int count) {
        String[] pool = {"the", " cat", "Once", " upon", "a", "e", "s", "t", " ", "  ", "\n", "\t", "'s", "'LL", "123", "4567",
                "é", "ß", "日本", "한", "Σσ", "😀", "👍🏽", ".", ",", "!?", "/", "(", ")", "<|", "|>", "\u0301", "Hello", "WORLD"};
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = random.nextInt(1, 20); j > 0; j--) {
                sb.append(pool[random.nextInt(pool.length)]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void heapMergeLoopAgreesWithNaiveBpe() {
        Gpt2Tokenizer t = gptOss();
        String[] rules = gptOssMetadata.getStringArray(Tokenizers.MERGES);
        Map<String, Integer> ranks = new HashMap<>();
        for (int i = 0; i < rules.length; i++) {
            ranks.putIfAbsent(rules[i], i);
        }
        PreTokenizer pre = PreTokenizer.forName("gpt-4o").orElseThrow();
        for (String text : randomTexts(11, 400)) {
            IntList expected = new IntList(16);
            for (String word : pre.split(text)) {
                // Textbook BPE: merge the lowest-ranked adjacent pair (leftmost on ties) until none applies.
                List<String> symbols = new ArrayList<>();
                for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
                    symbols.add(String.valueOf(ByteLevel.charOf(b)));
                }
                while (true) {
                    int best = -1;
                    int bestRank = Integer.MAX_VALUE;
                    for (int i = 0; i + 1 < symbols.size(); i++) {
                        Integer r = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
                        if (r != null && r < bestRank) {
                            best = i;
                            bestRank = r;
                        }
                    }
                    if (best < 0) {
                        break;
                    }
                    symbols.set(best, symbols.get(best) + symbols.remove(best + 1));
                }
                symbols.forEach(sym -> expected.add(t.vocabulary().id(sym)));
            }
            assertArrayEquals(expected.toArray(), t.encode(text, false, false), text);
        }
    }

    @Test
    void heapMergeLoopAgreesWithNaiveSentencePiece() {
        SentencePieceTokenizer t = assertInstanceOf(SentencePieceTokenizer.class, stories());
        Vocabulary v = t.vocabulary();
        for (String text : randomTexts(12, 400)) {
            // llama2.c's encoder: merge the best-scoring adjacent pair (leftmost on ties) until none is a piece.
            List<String> symbols = new ArrayList<>();
            ("\u2581" + text.replace(' ', '\u2581')).codePoints().forEach(cp -> symbols.add(Character.toString(cp)));
            while (true) {
                int best = -1;
                float bestScore = Float.NEGATIVE_INFINITY;
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    int id = v.id(symbols.get(i) + symbols.get(i + 1));
                    if (id >= 0 && v.type(id) == TokenType.NORMAL && (best < 0 || v.score(id) > bestScore)) {
                        best = i;
                        bestScore = v.score(id);
                    }
                }
                if (best < 0) {
                    break;
                }
                symbols.set(best, symbols.get(best) + symbols.remove(best + 1));
            }
            IntList expected = new IntList(16);
            expected.add(t.bos());
            for (String sym : symbols) {
                int id = v.id(sym);
                if (id >= 0 && v.type(id) == TokenType.NORMAL) {
                    expected.add(id);
                } else {
                    for (byte b : sym.getBytes(StandardCharsets.UTF_8)) {
                        expected.add(v.id(String.format("<0x%02X>", b & 0xFF)));
                    }
                }
            }
            assertArrayEquals(expected.toArray(), t.encodePrompt(text), text);
            assertEquals(text, t.decode(t.encodePrompt(text)));
        }
    }
}
