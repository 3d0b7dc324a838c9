package io.inferlab.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;

import io.inferlab.reports.chart.ChartImage;
import io.inferlab.reports.chart.PngAssert;
import io.inferlab.reports.meta.RunMetadataFiles;

/** The whole report, end to end, from real JMH files. */
class ReportGeneratorTest {
    @TempDir
    Path dir;

    private final ReportGenerator generator = new ReportGenerator();

    @Test
    void fullReportWithBaselineHistoryAndRoofline() throws Exception {
        Path current = JmhFixtures.copy(JmhFixtures.CURRENT_OPENCL_SLOWER, dir.resolve("in"));
        RunMetadataFiles.writeBeside(current, Scenarios.rooflineMetadata(20e9, 10_000));
        Path baseline = JmhFixtures.copy(JmhFixtures.BASELINE, dir.resolve("in"));
        Path store = Scenarios.store(dir.resolve("store"), 8);
        Path out = dir.resolve("report");

        ReportOutcome o = generator.generate(ReportOptions.of(current, out).withBaseline(baseline).withHistory(store));
        Report r = o.report();
        assertTrue(r.gate().orElseThrow().failed());
        assertEquals(4, r.backends().size());
        assertEquals(9, r.history().orElseThrow().runs().size(), "8 stored runs and the current one");
        assertEquals(4, r.roofline().points().size());
        List<ChartImage.Kind> kinds = r.charts().stream().map(ChartImage::kind).distinct().toList();
        assertEquals(List.of(ChartImage.Kind.values()), kinds, "every kind of chart, in section order");

        assertEquals(out.resolve("index.html"), o.html());
        for (Path png : o.charts()) {
            assertTrue(png.startsWith(out.resolve("charts")));
            PngAssert.assertRealChart(Files.readAllBytes(png));
        }
        String html = Files.readString(o.html());
        for (String section : List.of("gate", "warnings", "environment", "results", "backends", "baseline", "latency", "roofline",
                "history", "how-to-read")) {
            assertTrue(html.contains("<section id=\"" + section + "\">"), section);
        }
        assertEquals(r.charts().size(), html.split("<img src=\"data:image/png;base64,", -1).length - 1, "every chart embedded");
        assertTrue(html.contains("gate FAILED") && html.contains("fails gate"));
        assertTrue(html.contains("20.0 GB/s"), "environment from the run metadata");

        String md = Files.readString(o.markdown());
        assertTrue(md.startsWith("## InferLab benchmark report\n\n**Gate FAILED: "), md);
        assertTrue(md.contains("### Regressions") && md.contains("OPENCL"), md);
        assertEquals(List.of("results.csv", "comparison.csv", "backends.csv", "change-points.csv"),
                o.csv().stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void partialReportSaysWhatWasSkipped() throws Exception {
        ArrayNode current = JmhFixtures.tree(JmhFixtures.BASELINE);
        JmhFixtures.entry(current, "coldStart", null).put("mode", "turbo");
        ((com.fasterxml.jackson.databind.node.ObjectNode) JmhFixtures.entry(current, "decode", "OPENCL").get("primaryMetric")).remove("rawData");
        ArrayNode base = JmhFixtures.tree(JmhFixtures.BASELINE);
        base.remove(0);
        Path in = JmhFixtures.write(dir.resolve("current.json"), current);
        Path b = JmhFixtures.write(dir.resolve("base.json"), base);

        Report r = generator.generate(ReportOptions.of(in, dir.resolve("out")).withBaseline(b)).report();
        assertEquals(9, r.current().results().size());
        List<String> skipped = r.skipped();
        assertTrue(skipped.stream().anyMatch(s -> s.contains("current.json") && s.contains("unknown mode 'turbo'")), skipped.toString());
        assertTrue(skipped.stream().anyMatch(s -> s.startsWith("not in the baseline") && s.contains("DecodeBench.decode [backend=CPU, suite=quick_qa]")),
                skipped.toString());
        assertTrue(skipped.stream().anyMatch(s -> s.contains("no rawData in the current file")), skipped.toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("no rawData")), r.warnings().toString());
        String html = Files.readString(dir.resolve("out/index.html"));
        assertTrue(html.contains("unknown mode &#39;turbo&#39;"), "the HTML lists what was skipped");
        assertFalse(r.gate().orElseThrow().failed());
    }

    @Test
    void aReportOfFiveHundredResultsCoversThemAll() throws Exception {
        Path in = JmhFixtures.write(dir.resolve("five-hundred.json"), SyntheticJmh.run(500, 5, 10, 0.03, 500));
        ReportOutcome o = generator.generate(ReportOptions.of(in, dir.resolve("out")).withBaseline(
                JmhFixtures.write(dir.resolve("five-hundred-base.json"), SyntheticJmh.run(500, 5, 10, 0.03, 501))));
        assertEquals(500, o.report().current().results().size());
        assertEquals(500, o.report().comparison().orElseThrow().rows().size());
        // A row per result, plus the decode template's two @AuxCounters rows on its 125 entries.
        assertEquals(500 + 2 * 125, Files.readAllLines(o.csv().getFirst()).size() - 1);
        long scoreCharts = o.report().charts().stream().filter(c -> c.kind() == ChartImage.Kind.SCORE).count();
        assertEquals(ReportOptions.DEFAULT_MAX_CHARTS, scoreCharts, "score charts are capped");
    }

    @Test
    void anOutputPathThatIsAFileIsAnInputError() throws Exception {
        Path in = JmhFixtures.copy(JmhFixtures.BASELINE, dir);
        Path file = Files.writeString(dir.resolve("taken"), "x");
        ReportInputException e = assertThrows(ReportInputException.class, () -> generator.generate(ReportOptions.of(in, file)));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("not a directory"), e.getMessage());
    }
}
