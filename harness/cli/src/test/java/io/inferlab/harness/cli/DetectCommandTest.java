package io.inferlab.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.harness.detect.HardwareProfileJson;

/** {@code inferlab detect} with the real backends of the runnable jar on the class path. */
class DetectCommandTest {

    @Test
    void tableHasOneRowPerAccelerationTypeAndExitsZero() {
        MainTest.Run r = MainTest.run("detect");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("ACCELERATION")).findFirst().orElseThrow());
        List<String> rows = lines.subList(header + 1, lines.size());
        assertEquals(List.of("CPU", "OPENCL", "CUDA", "MXFP4", "METAL"), rows.stream().map(l -> l.split("\\s+")[0]).toList());
        assertTrue(rows.getFirst().matches("CPU\\s+yes\\s+(\\S+,)?cpu(,\\S+)?\\s+.*"), "the cpu backend serves CPU: " + rows.getFirst());
        for (String row : rows) {
            String[] cols = row.split("\\s{2,}");
            assertTrue(cols[1].equals("yes") || (cols[1].equals("no") && cols[cols.length - 1].length() > 10),
                    "an unavailable row says why: " + row);
        }
        assertTrue(r.out().contains("Fingerprint  "), r.out());
    }

    @Test
    void jsonIsTheFullProfileAndReadsBack() throws Exception {
        MainTest.Run r = MainTest.run("detect", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(1, json.get("schema_version").asInt());
        assertEquals(5, json.get("accelerations").size());
        JsonNode cpu = json.get("accelerations").get(0);
        assertEquals("CPU", cpu.get("acceleration").asText());
        assertTrue(cpu.get("available").asBoolean(), cpu.toString());
        assertTrue(cpu.get("providers").findValuesAsText("id").contains("cpu"), cpu.toString());
        for (JsonNode row : json.get("accelerations")) {
            assertTrue(row.get("available").asBoolean() || !row.get("reason").asText().isBlank(), row.toString());
        }
        JsonNode cuda = json.get("accelerations").get(2);
        assertEquals(List.of("cuda"), cuda.get("providers").findValuesAsText("id"));
        assertEquals(List.of("cuda-mxfp4"), json.get("accelerations").get(3).get("providers").findValuesAsText("id"));
        assertFalse(HardwareProfileJson.read(r.out()).host().cpu().model().isBlank());
    }
}
