package io.inferlab.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.reports.JmhFixtures;
import io.inferlab.reports.Scenarios;

/** {@code inferlab report} end to end, in process, on real JMH output: files, gate, exit codes. */
class ReportCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writesTheReportAndExitsZeroWithoutABaseline() {
        Path in = JmhFixtures.copy(JmhFixtures.BASELINE, dir);
        Path out = dir.resolve("report");
        Run r = run("report", "--input", in.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(out.resolve("index.html").toString()) && r.out().contains("no baseline: no regression gate"), r.out());
        for (String f : new String[] {"index.html", "summary.md", "results.csv"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertTrue(Files.isDirectory(out.resolve("charts")));
    }

    @Test
    void exitsThreeWhenABenchmarkRegressedBeyondTheThreshold() throws Exception {
        Path base = JmhFixtures.copy(JmhFixtures.BASELINE, dir);
        Path in = JmhFixtures.copy(JmhFixtures.CURRENT_OPENCL_SLOWER, dir);
        Path store = Scenarios.store(dir.resolve("store"), 6);
        Run r = run("report", "-i", in.toString(), "-b", base.toString(), "--history", store.toString(), "-o", dir.resolve("r").toString(),
                "--max-regression", "5");
        assertEquals(ReportCommand.EXIT_REGRESSION, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("gate FAILED") && r.out().contains("more than 5%"), r.out());
        assertTrue(r.out().contains("regressed: DecodeBench.decode [backend=OPENCL, suite=quick_qa] thrpt"), r.out());
        assertTrue(Files.readString(dir.resolve("r/index.html")).contains("<section id=\"history\">"));
        assertTrue(Files.readString(dir.resolve("r/summary.md")).contains("**Gate FAILED"));
    }

    @Test
    void aThresholdAboveEveryRegressionPasses() {
        Path base = JmhFixtures.copy(JmhFixtures.BASELINE, dir);
        Path in = JmhFixtures.copy(JmhFixtures.CURRENT_OPENCL_SLOWER, dir);
        Run r = run("report", "-i", in.toString(), "-b", base.toString(), "-o", dir.resolve("r").toString(), "--max-regression", "1000");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("gate passed"), r.out());
    }

    @Test
    void badInputIsOneLineNamingTheFileAndExitOne() throws Exception {
        String text = JmhFixtures.text(JmhFixtures.BASELINE);
        Path truncated = Files.writeString(dir.resolve("truncated.json"), text.substring(0, 5000));
        Run r = run("report", "-i", truncated.toString(), "-o", dir.resolve("r").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("inferlab: error: " + truncated) && r.err().contains("truncated JSON"), r.err());
        assertFalse(r.err().contains("\tat "));

        Path empty = Files.writeString(dir.resolve("empty.json"), "[]");
        Run e = run("report", "-i", JmhFixtures.copy(JmhFixtures.BASELINE, dir).toString(), "-b", empty.toString(), "-o",
                dir.resolve("r2").toString());
        assertEquals(1, e.code());
        assertTrue(e.err().contains("empty.json: no benchmark results (empty array)"), e.err());

        Run missingHistory = run("report", "-i", JmhFixtures.copy(JmhFixtures.BASELINE, dir).toString(), "--history",
                dir.resolve("nope").toString(), "-o", dir.resolve("r3").toString());
        assertEquals(1, missingHistory.code());
        assertTrue(missingHistory.err().contains("nope: history directory not found"), missingHistory.err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("report", "--out", dir.toString()).code(), "no --input");
        Run negative = run("report", "-i", "x.json", "-o", dir.toString(), "--max-regression", "-1");
        assertEquals(2, negative.code());
        assertTrue(negative.err().contains("--max-regression"), negative.err());
        assertEquals(2, run("report", "-i", "x.json", "-o", dir.toString(), "--max-regression", "lots").code());
    }
}
