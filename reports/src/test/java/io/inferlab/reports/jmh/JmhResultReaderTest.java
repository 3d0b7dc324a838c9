package io.inferlab.reports.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;

import io.inferlab.reports.JmhFixtures;
import io.inferlab.reports.ReportInputException;
import io.inferlab.reports.meta.RunMetadata;
import io.inferlab.reports.meta.RunMetadataFiles;

/** Reading real JMH 1.37 output, and every kind of bad input the issue names. */
class JmhResultReaderTest {
    @TempDir
    Path dir;

    private final JmhResultReader reader = new JmhResultReader();

    @Test
    void readsEveryModeParamsAndSecondaryMetricsFromRealJmhOutput() {
        JmhRun run = reader.read(JmhFixtures.copy(JmhFixtures.BASELINE, dir));
        assertEquals(10, run.results().size());
        assertTrue(run.skipped().isEmpty(), run.skipped().toString());
        Set<JmhMode> modes = run.results().stream().map(BenchmarkResult::mode).collect(Collectors.toSet());
        assertEquals(EnumSet.allOf(JmhMode.class), modes);

        BenchmarkResult decode = find(run, "decode", Map.of("backend", "OPENCL", "suite", "quick_qa"));
        assertEquals(JmhMode.THROUGHPUT, decode.mode());
        assertEquals("ops/s", decode.primary().unit());
        assertEquals(2, decode.forks());
        assertEquals(10, decode.primary().samples().length, "2 forks x 5 iterations");
        assertEquals("rawData", decode.primary().samplesSource());
        // @AuxCounters: EVENTS is a total count ("#"), OPERATIONS a rate.
        assertEquals("#", decode.secondary("tokens").orElseThrow().unit());
        assertEquals("ops/s", decode.secondary("bytesRead").orElseThrow().unit());
        assertEquals(10, decode.secondary("bytesRead").orElseThrow().samples().length);
        assertEquals("1.37", decode.jvm().jmhVersion());
        assertEquals(1225312.997, decode.primary().score(), 0.01);

        BenchmarkResult ttft = find(run, "ttft", Map.of("backend", "CPU"));
        assertEquals(JmhMode.SAMPLE_TIME, ttft.mode());
        assertEquals("rawDataHistogram", ttft.primary().samplesSource());
        assertEquals(10, ttft.primary().samples().length, "one mean per iteration");
        for (double s : ttft.primary().samples()) {
            assertTrue(s >= ttft.primary().percentile(0.0) && s <= ttft.primary().percentile(100.0), "iteration mean " + s);
        }
        assertTrue(ttft.primary().percentile(99.9) > ttft.primary().percentile(50.0));
        assertTrue(ttft.secondaries().isEmpty(), "p0.50-style entries repeat the percentiles: " + ttft.secondaries());

        BenchmarkResult cold = find(run, "coldStart", Map.of("backend", "CPU"));
        assertEquals(JmhMode.SINGLE_SHOT_TIME, cold.mode());
        assertEquals(1, cold.primary().samples().length);
        assertTrue(Double.isNaN(cold.primary().scoreError()), "JMH wrote \"NaN\" as a string");
    }

    @Test
    void sampleModeIterationMeansAverageToJmhsScore() {
        BenchmarkResult ttft = find(reader.read(JmhFixtures.copy(JmhFixtures.BASELINE, dir)), "ttft", Map.of());
        // JMH's score is the mean of all samples; the iteration means weigh iterations equally,
        // so they agree closely but not exactly.
        double meanOfMeans = java.util.Arrays.stream(ttft.primary().samples()).average().orElseThrow();
        assertEquals(ttft.primary().score(), meanOfMeans, 0.1 * ttft.primary().score());
    }

    @Test
    void nanWrittenBareIsReadLikeJmhsString() {
        String bare = JmhFixtures.text(JmhFixtures.BASELINE).replace("\"NaN\"", "NaN");
        JmhRun run = reader.read(JmhFixtures.write(dir.resolve("bare.json"), bare));
        assertEquals(10, run.results().size());
        assertTrue(Double.isNaN(find(run, "coldStart", Map.of()).primary().scoreError()));
    }

    @Test
    void truncatedJsonNamesTheFileAndWhereItEnds() {
        String text = JmhFixtures.text(JmhFixtures.BASELINE);
        Path file = JmhFixtures.write(dir.resolve("truncated.json"), text.substring(0, text.length() / 2));
        ReportInputException e = assertThrows(ReportInputException.class, () -> reader.read(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("truncated JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("line"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void emptyArrayEmptyFileAndObjectAreClearErrors() {
        assertMessage(JmhFixtures.write(dir.resolve("empty-array.json"), "[ ]"), "no benchmark results (empty array)");
        assertMessage(JmhFixtures.write(dir.resolve("empty.json"), ""), "empty file");
        assertMessage(JmhFixtures.write(dir.resolve("object.json"), "{\"benchmark\": \"x\"}"), "expected a JSON array of JMH results, found an object");
        assertMessage(JmhFixtures.write(dir.resolve("garbage.json"), "[ {\"benchmark\": oops} ]"), "malformed JSON at line 1");
        assertMessage(dir.resolve("missing.json"), "file not found");
        assertMessage(dir, "is a directory");
    }

    @Test
    void unknownModeSkipsOnlyThatEntryAndSaysWhy() {
        ArrayNode run = JmhFixtures.tree(JmhFixtures.BASELINE);
        JmhFixtures.entry(run, "prefill", "OPENCL").put("mode", "bogus");
        JmhRun read = reader.read(JmhFixtures.write(dir.resolve("mode.json"), run));
        assertEquals(9, read.results().size());
        assertEquals(1, read.skipped().size());
        String why = read.skipped().getFirst();
        assertTrue(why.contains("DecodeBench.prefill") && why.contains("unknown mode 'bogus'"), why);
    }

    @Test
    void missingRawDataKeepsTheResultWithANote() {
        ArrayNode run = JmhFixtures.tree(JmhFixtures.BASELINE);
        ((com.fasterxml.jackson.databind.node.ObjectNode) JmhFixtures.entry(run, "decode", "CPU").get("primaryMetric")).remove("rawData");
        JmhRun read = reader.read(JmhFixtures.write(dir.resolve("noraw.json"), run));
        assertEquals(10, read.results().size());
        BenchmarkResult r = read.results().getFirst();
        assertFalse(r.primary().hasSamples());
        assertEquals("none", r.primary().samplesSource());
        assertTrue(read.notes().stream().anyMatch(n -> n.contains("DecodeBench.decode") && n.contains("no rawData")), read.notes().toString());
    }

    @Test
    void entriesWithWrongTypesOrNoScoreAreSkippedWithTheField() {
        ArrayNode run = JmhFixtures.tree(JmhFixtures.BASELINE);
        JmhFixtures.entry(run, "prefill", "CPU").put("forks", "many");
        ((com.fasterxml.jackson.databind.node.ObjectNode) JmhFixtures.entry(run, "coldStart", null).get("primaryMetric")).remove("score");
        run.add("not an object");
        JmhRun read = reader.read(JmhFixtures.write(dir.resolve("types.json"), run));
        assertEquals(8, read.results().size());
        assertEquals(3, read.skipped().size(), read.skipped().toString());
        assertTrue(read.skipped().stream().anyMatch(s -> s.contains("forks") && s.contains("many")), read.skipped().toString());
        assertTrue(read.skipped().stream().anyMatch(s -> s.contains("coldStart") && s.contains("no \"score\"")), read.skipped().toString());
        assertTrue(read.skipped().stream().anyMatch(s -> s.startsWith("entry 11") && s.contains("expected an object")), read.skipped().toString());
    }

    @Test
    void fileWithNoUsableEntryIsAnErrorNamingTheFirstReason() {
        Path file = JmhFixtures.write(dir.resolve("useless.json"), "[{\"benchmark\": \"a.B.c\", \"mode\": \"fast\"}, 3]");
        ReportInputException e = assertThrows(ReportInputException.class, () -> reader.read(file));
        assertTrue(e.getMessage().contains("no usable benchmark results") && e.getMessage().contains("unknown mode 'fast'")
                && e.getMessage().contains("and 1 more"), e.getMessage());
    }

    @Test
    void duplicateKeysKeepTheFirst() {
        ArrayNode run = JmhFixtures.tree(JmhFixtures.BASELINE);
        run.add(run.get(0).deepCopy());
        JmhRun read = reader.read(JmhFixtures.write(dir.resolve("dup.json"), run));
        assertEquals(10, read.results().size());
        assertTrue(read.skipped().getFirst().contains("duplicate"), read.skipped().toString());
    }

    @Test
    void runMetadataBesideTheFileIsReadAndABrokenOneIsANote() {
        Path file = JmhFixtures.copy(JmhFixtures.BASELINE, dir);
        RunMetadata meta = new RunMetadata(RunMetadata.SCHEMA_VERSION, OffsetDateTime.parse("2025-06-01T02:00:00Z"), "abc1234",
                "quick", null, null, Map.of("cpu", "0.1.0"));
        RunMetadataFiles.writeBeside(file, meta);
        assertEquals("abc1234", reader.read(file).metadata().orElseThrow().gitCommit());

        JmhFixtures.write(RunMetadataFiles.siblingOf(file), "{\"time\": ");
        JmhRun read = reader.read(file);
        assertTrue(read.metadata().isEmpty());
        assertTrue(read.notes().stream().anyMatch(n -> n.contains("baseline.meta.json") && n.contains("malformed")), read.notes().toString());
    }

    private void assertMessage(Path file, String expected) {
        ReportInputException e = assertThrows(ReportInputException.class, () -> reader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": ") && e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    private static BenchmarkResult find(JmhRun run, String method, Map<String, String> params) {
        return run.results().stream()
                .filter(r -> r.key().method().equals(method) && r.key().params().entrySet().containsAll(params.entrySet()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + method + " " + params));
    }
}
