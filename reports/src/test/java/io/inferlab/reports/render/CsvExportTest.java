package io.inferlab.reports.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.inferlab.reports.JmhFixtures;
import io.inferlab.reports.ReportGenerator;
import io.inferlab.reports.ReportOptions;

class CsvExportTest {
    @TempDir
    Path dir;

    static List<Map<String, String>> read(Path csv) throws Exception {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv.toFile())) {
            return it.readAll();
        }
    }

    @Test
    void resultsAndComparisonReadBackAsTables() throws Exception {
        Path base = JmhFixtures.copy(JmhFixtures.BASELINE, dir);
        Path current = JmhFixtures.copy(JmhFixtures.CURRENT_OPENCL_SLOWER, dir);
        var outcome = new ReportGenerator().generate(ReportOptions.of(current, dir.resolve("out")).withBaseline(base));

        List<Map<String, String>> results = read(dir.resolve("out/results.csv"));
        assertEquals(10 + 8, results.size(), "10 primary rows, 2 secondary metrics on each of 4 decode results");
        Map<String, String> decode = results.getFirst();
        assertEquals("fix.DecodeBench.decode", decode.get("benchmark"));
        assertEquals("backend=CPU;suite=quick_qa", decode.get("params"));
        assertEquals("10", decode.get("n"));
        assertEquals(outcome.report().currentStatistics().get(outcome.report().current().results().getFirst().key()).median(),
                Double.parseDouble(decode.get("median")), 1e-9);

        List<Map<String, String>> comparison = read(dir.resolve("out/comparison.csv"));
        assertEquals(10, comparison.size());
        assertTrue(comparison.stream().anyMatch(r -> r.get("verdict").equals("regressed") && r.get("failsGate").equals("true")));
        assertEquals(4, read(dir.resolve("out/backends.csv")).size());
    }
}
