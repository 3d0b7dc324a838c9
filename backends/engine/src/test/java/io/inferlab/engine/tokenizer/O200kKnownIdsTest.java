package io.inferlab.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.inferlab.engine.SharedModels;

/**
 * tiny-gpt-oss's o200k_harmony vocabulary against o200k token ids published elsewhere (ids below
 * 199998 are o200k_base's): the harmony guide's parser example (cookbook.openai.com/articles/
 * openai-harmony: digits, quotes, punctuation) and tiktoken o200k_base encodings recorded by the
 * splintr project's exact-id tests (Chinese, emoji split into byte tokens).
 */
class O200kKnownIdsTest {
    private static Gpt2Tokenizer tokenizer;

    @BeforeAll
    static void setUp() {
        tokenizer = (Gpt2Tokenizer) SharedModels.tinyGptOssTokenizer();
    }

    static Stream<Arguments> known() {
        return Stream.of(
                Arguments.of("Hello world", new int[] {13225, 2375}),
                Arguments.of("Hello, world!", new int[] {13225, 11, 2375, 0}),
                Arguments.of("你好世界", new int[] {177519, 28428}),
                Arguments.of("Hello 🌍 World!", new int[] {13225, 130321, 235, 5922, 0}),
                Arguments.of("User asks: \"What is 2 + 2?\" Simple arithmetic. Provide answer.",
                        new int[] {1844, 31064, 25, 392, 4827, 382, 220, 17, 659, 220, 17, 16842, 12295, 81645, 13, 51441, 6052, 13}),
                Arguments.of("2 + 2 = 4.", new int[] {17, 659, 220, 17, 314, 220, 19, 13}),
                Arguments.of("analysis", new int[] {35644}),
                Arguments.of("final", new int[] {17196}),
                Arguments.of("assistant", new int[] {173781}));
    }

    @ParameterizedTest
    @MethodSource("known")
    void encodesToThePublishedIds(String text, int[] ids) {
        assertArrayEquals(ids, tokenizer.encode(text, false, false), text);
        assertEquals(text, tokenizer.decode(ids));
    }
}
