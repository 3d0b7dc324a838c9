package io.inferlab.datasets.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromptSuitesTest {
    private static final String VALID = """
            {"name": "mine", "repetitions": 2, "min_new_tokens": 8, "timeout_seconds": 30,
             "slo": {"ttft_ms": 500, "tpot_ms": 50},
             "prompts": [{"id": "a", "text": "Hello"}, {"id": "b", "text": "World"}]}
            """;

    @TempDir
    Path dir;

    @Test
    void builtInSuitesMatchTheDesign() {
        // DESIGN.md: prompts / repetitions / min new tokens per suite.
        int[][] expected = {{3, 3, 20}, {3, 2, 50}, {3, 2, 100}, {3, 1, 150}};
        for (int i = 0; i < PromptSuites.BUILT_IN.size(); i++) {
            PromptSuite s = PromptSuites.builtIn(PromptSuites.BUILT_IN.get(i));
            assertEquals(PromptSuites.BUILT_IN.get(i), s.name());
            assertEquals(expected[i][0], s.prompts().size(), s.name());
            assertEquals(expected[i][1], s.repetitions(), s.name());
            assertEquals(expected[i][2], s.minNewTokens(), s.name());
            assertTrue(s.slo().ttftMs() > 0 && s.slo().tpotMs() > 0);
            assertTrue(s.timeout().toSeconds() > 0);
        }
    }

    @Test
    void loadsAUserFile() throws Exception {
        Path f = Files.writeString(dir.resolve("mine.json"), VALID);
        PromptSuite s = PromptSuites.resolve(f.toString());
        assertEquals("mine", s.name());
        assertEquals(Duration.ofSeconds(30), s.timeout());
        assertEquals(4, s.requestCount());
        assertTrue(s.slo().isMetBy(400e6, 50e6));
        assertTrue(!s.slo().isMetBy(600e6, 10e6));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"repetitions\": 2,|                          |repetitions|is missing",
            "\"repetitions\": 2,|\"repetitions\": -1,      |repetitions|must be an integer >= 1",
            "\"min_new_tokens\": 8,|\"min_new_tokens\": 1.5,|min_new_tokens|must be an integer",
            "{\"id\": \"b\", \"text\": \"World\"}|{\"id\": \"b\", \"text\": \"\"}|prompts[1].text|non-empty",
            "{\"id\": \"b\"|{\"id\": \"a\"|prompts[1].id|used twice",
            "\"tpot_ms\": 50|\"tpot_ms\": 0|slo.tpot_ms|must be a number > 0",
            "\"name\": \"mine\",|\"name\": \"mine\", \"repetiions\": 3,|repetiions|is not a suite field",
    })
    void invalidFieldsAreNamed(String from, String to, String field, String problem) throws Exception {
        Path f = Files.writeString(dir.resolve("bad.json"), VALID.replace(from, to == null ? "" : to.strip()));
        SuiteFormatException e = assertThrows(SuiteFormatException.class, () -> PromptSuites.load(f));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("'" + field + "'")
                && e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void emptyPromptsAndBrokenJsonAreNamed() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.json"), VALID.replaceAll("\"prompts\": \\[.*]", "\"prompts\": []"));
        assertTrue(assertThrows(SuiteFormatException.class, () -> PromptSuites.load(empty)).getMessage().contains("'prompts' is empty"));
        Path broken = Files.write(dir.resolve("broken.json"), "{\"name\": ".getBytes(StandardCharsets.UTF_8));
        assertTrue(assertThrows(SuiteFormatException.class, () -> PromptSuites.load(broken)).getMessage().contains("broken.json"));
        assertTrue(assertThrows(SuiteFormatException.class, () -> PromptSuites.load(dir.resolve("none.json"))).getMessage().contains("not found"));
    }
}
