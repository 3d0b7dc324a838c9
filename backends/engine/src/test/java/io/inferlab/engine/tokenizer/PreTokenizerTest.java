package io.inferlab.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Splits worked out by hand from each published pattern's alternatives, in order. */
class PreTokenizerTest {

    private static List<String> split(String name, String text) {
        return PreTokenizer.forName(name).orElseThrow().split(text);
    }

    @Test
    void gpt2SplitsContractionsWordsNumbersAndSpaces() {
        // A run of spaces gives all but the last to \s+(?!\S); the last leads the next word.
        assertEquals(List.of("Hello", " world", "'s", " ", " test", " 12345", "!!", "\n"),
                split("gpt2", "Hello world's  test 12345!!\n"));
        // Contractions are case-sensitive in GPT-2's pattern.
        assertEquals(List.of("DON", "'", "T"), split("gpt2", "DON'T"));
        assertEquals(split("gpt2", "a b"), split("default", "a b"));
    }

    @Test
    void llama3GroupsDigitsByThreeAndNewlines() {
        assertEquals(List.of("Hello", " World", " ", "123", "45", " don", "'t", "\n\n", " ", " x", " DON", "'T"),
                split("llama3", "Hello World 12345 don't\n\n  x DON'T"));
        assertEquals(List.of("...\n", "(a", ")"), split("llama-bpe", "...\n(a)"));
    }

    @Test
    void qwen2SplitsDigitsOneByOne() {
        assertEquals(List.of("x", " ", "1", "2", "3"), split("qwen2", "x 123"));
    }

    @Test
    void o200kSplitsAtCaseChangesAndKeepsContractions() {
        assertEquals(List.of("Hello", "World", " DON'T", " stop", " ", "123", "4", "/\n"),
                split("gpt-4o", "HelloWorld DON'T stop 1234/\n"));
        assertEquals(List.of("What", " is", " ", "2", "+", "2", "?"), split("gpt-4o", "What is 2+2?"));
        // Other letters (Lo) belong to both classes, so a leading space joins a CJK run.
        assertEquals(List.of("über", " Ärger", " 日本語"), split("gpt-4o", "über Ärger 日本語"));
    }

    @Test
    void everyCharacterIsCovered() {
        String text = "a\u0000b\u0301\uD83D\uDE00 \u2028x\uFFFF  ";
        for (String name : PreTokenizer.supportedNames()) {
            assertEquals(text, String.join("", split(name, text)), name);
        }
    }

    @Test
    void namesIncludeTheDocumentedOnes() {
        assertTrue(PreTokenizer.supportedNames().containsAll(
                List.of("default", "gpt2", "llama3", "llama-bpe", "smaug-bpe", "gpt-4o", "qwen2")));
        assertTrue(PreTokenizer.forName("llama3").orElseThrow().ignoreMerges());
        assertTrue(PreTokenizer.forName("unknown").isEmpty());
    }
}
