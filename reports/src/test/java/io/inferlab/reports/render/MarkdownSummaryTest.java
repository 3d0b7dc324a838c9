package io.inferlab.reports.render;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.reports.JmhFixtures;
import io.inferlab.reports.ReportGenerator;
import io.inferlab.reports.ReportOptions;

class MarkdownSummaryTest {
    @TempDir
    Path dir;

    @Test
    void gateVerdictComesFirstThenTheRegressions() {
        Path base = JmhFixtures.copy(JmhFixtures.BASELINE, dir);
        Path current = JmhFixtures.copy(JmhFixtures.CURRENT_OPENCL_SLOWER, dir);
        String md = MarkdownSummary.render(new ReportGenerator().build(ReportOptions.of(current, dir.resolve("o")).withBaseline(base)));
        String[] lines = md.split("\n");
        assertTrue(lines[0].equals("## InferLab benchmark report") && lines[2].startsWith("**Gate FAILED: "), md);
        int regressions = md.indexOf("### Regressions");
        assertTrue(regressions > 0, md);
        String table = md.substring(regressions);
        assertTrue(table.contains("| DecodeBench.decode ") && table.contains("backend=OPENCL, suite=quick_qa") && table.contains("fails gate"), md);
        assertTrue(md.contains("unchanged") && md.contains("inconclusive"));
        assertTrue(md.contains("### Warnings") && md.contains("too few samples (1 < 10)"), md);
    }

    @Test
    void withoutBaselineItListsResults() {
        String md = MarkdownSummary.render(new ReportGenerator().build(ReportOptions.of(JmhFixtures.copy(JmhFixtures.BASELINE, dir),
                dir.resolve("o"))));
        assertTrue(md.contains("No baseline: no regression gate.") && md.contains("### Results"), md);
        assertFalse(md.contains("Gate"), md);
        assertTrue(md.contains("| LatencyBench.ttft "), md);
    }

    @Test
    void escapesTableBreakingCharacters() {
        assertTrue(Markdown.escape("a|b\nc").equals("a\\|b c"));
        assertTrue(Markdown.escape("<script>").equals("&lt;script>"));
        assertTrue(Markdown.escape("p <0.001").equals("p <0.001"));
    }
}
