package io.inferlab.harness.cli;

import static io.inferlab.harness.cli.ReportCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;

import io.inferlab.reports.JmhFixtures;

/** {@code inferlab compare BASE.json NEW.json}. */
class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheTableAndExitsThreeOnARegression() {
        Path base = JmhFixtures.copy(JmhFixtures.BASELINE, dir);
        Path current = JmhFixtures.copy(JmhFixtures.CURRENT_OPENCL_SLOWER, dir);
        ReportCommandTest.Run r = run("compare", base.toString(), current.toString());
        assertEquals(ReportCommand.EXIT_REGRESSION, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("| benchmark ") && lines[0].contains("| change ") && lines[0].contains("| verdict "), r.out());
        assertTrue(lines[1].matches("\\|[-|]+\\|"), lines[1]);
        assertEquals(2 + 10 + 1, lines.length, "header, rule, a row per benchmark, the gate line: " + r.out());
        assertTrue(r.out().contains("backend=OPENCL, suite=quick_qa") && r.out().contains("regressed (fails gate)"), r.out());
        assertTrue(lines[lines.length - 1].startsWith("gate FAILED"), r.out());
    }

    @Test
    void aFileAgainstItselfPasses() {
        Path base = JmhFixtures.copy(JmhFixtures.BASELINE, dir);
        ReportCommandTest.Run r = run("compare", base.toString(), base.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("unchanged") && r.out().strip().endsWith("in 10 compared benchmarks"), r.out());
    }

    @Test
    void mismatchedSetsAreNamedOnStderr() {
        ArrayNode current = JmhFixtures.tree(JmhFixtures.BASELINE);
        current.remove(0);
        Path base = JmhFixtures.copy(JmhFixtures.BASELINE, dir);
        Path now = JmhFixtures.write(dir.resolve("fewer.json"), current);
        ReportCommandTest.Run r = run("compare", base.toString(), now.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("only in baseline.json, not compared: DecodeBench.decode [backend=CPU, suite=quick_qa] thrpt"), r.err());
    }

    @Test
    void badFilesAndUsage() throws Exception {
        Path base = JmhFixtures.copy(JmhFixtures.BASELINE, dir);
        Path object = Files.writeString(dir.resolve("object.json"), "{}");
        ReportCommandTest.Run bad = run("compare", base.toString(), object.toString());
        assertEquals(1, bad.code());
        assertEquals("inferlab: error: " + object + ": expected a JSON array of JMH results, found an object", bad.err().strip());
        assertEquals(2, run("compare", base.toString()).code());
    }
}
