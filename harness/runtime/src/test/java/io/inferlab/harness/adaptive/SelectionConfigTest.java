package io.inferlab.harness.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectionConfigTest {
    @TempDir
    Path dir;

    private SelectionConfig read(String json) throws IOException {
        return SelectionConfig.read(Files.writeString(dir.resolve("adaptive.json"), json));
    }

    private String error(String json) {
        return assertThrows(AdaptiveConfigException.class, () -> read(json)).getMessage();
    }

    @Test
    void readsModelEntriesAndAppliesTheMatchingOnes() throws IOException {
        SelectionConfig c = read("""
                {"objective": "latency", "thresholds": {"min_decode_tokens_per_second": 5},
                 "exclude": ["llamacpp"], "priorities": {"opencl": 40},
                 "models": [{"match": "stories260K", "pin": ["cpu"], "thresholds": {"max_ttft_ms": 50}},
                            {"match": "other", "exclude": ["cpu"]}]}
                """);
        SelectionConfig.Effective e = c.forModel(StoreFixtures.MODEL);
        assertEquals(List.of("cpu"), e.pin());
        assertEquals(Set.of("llamacpp"), e.exclude());
        assertEquals(new Thresholds(5.0, 50.0), e.thresholds());
        assertEquals(40, e.priorities().get("opencl"));
    }

    @Test
    void rejectsWhatWouldSilentlyDoNothingOrContradict() {
        assertTrue(error("{\"exlude\": [\"cpu\"]}").contains("exlude"));
        assertTrue(error("{\"objective\": \"fastest\"}").contains("objective 'fastest'"));
        assertTrue(error("{\"pin\": [\"cpu\"], \"exclude\": [\"cpu\"]}").contains("pin and exclude both name backend 'cpu'"));
        assertTrue(error("{\"thresholds\": {\"max_ttft_ms\": -1}}").contains("thresholds.max_ttft_ms must be > 0"));
        assertTrue(error("{\"models\": [{\"pin\": [\"cpu\"]}]}").contains("models[0] needs \"match\""));
        assertTrue(error("{\"models\": [{\"sha256\": \"xyz\"}]}").contains("models[0].sha256 must be 64 hex digits"));
        assertTrue(error("{\"priorities\": {\"cpu\": -3}}").contains("priorities.cpu must be an integer >= 0"));
        assertTrue(error("{\"pin\": ").contains("adaptive.json"));
    }
}
