package io.inferlab.reports.roofline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.reports.JmhFixtures;
import io.inferlab.reports.Scenarios;
import io.inferlab.reports.jmh.JmhResultReader;
import io.inferlab.reports.jmh.JmhRun;
import io.inferlab.reports.meta.RunMetadataFiles;

class RooflineAnalyzerTest {
    @TempDir
    Path dir;

    @Test
    void decodeThroughputIsSetAgainstBandwidthOverBytesPerToken() {
        Path file = JmhFixtures.copy(JmhFixtures.BASELINE, dir);
        // 20 GB/s over 10 kB per token: a roofline of 2,000,000 tokens/s.
        RunMetadataFiles.writeBeside(file, Scenarios.rooflineMetadata(20e9, 10_000));
        JmhRun run = new JmhResultReader().read(file);
        RooflineReport report = new RooflineAnalyzer().analyze(run);
        assertEquals(4, report.points().size(), "the four decode results; prefill and latency are not decode");
        assertTrue(report.notes().isEmpty(), report.notes().toString());
        for (RooflinePoint p : report.points()) {
            assertEquals(2_000_000, p.rooflineTokensPerSecond(), 1e-6);
            double ops = run.find(p.key()).orElseThrow().primary().score();
            assertEquals(ops, p.tokensPerSecond(), 1e-6, "the tokens counter is a total (#), so ops/s are the tokens/s");
            assertEquals(ops / 2_000_000, p.efficiency(), 1e-12);
        }
    }

    @Test
    void withoutMetadataTheReportSaysWhy() {
        RooflineReport report = new RooflineAnalyzer().analyze(new JmhResultReader().read(JmhFixtures.copy(JmhFixtures.BASELINE, dir)));
        assertTrue(report.points().isEmpty());
        assertTrue(report.notes().getFirst().contains("memoryReadBandwidthBytesPerSecond"), report.notes().toString());
    }

    @Test
    void ratesConvertToPerSecond() {
        assertEquals(5000.0, RooflineAnalyzer.perSecond(5, "ops/ms"));
        assertEquals(2.0, RooflineAnalyzer.perSecond(120, "ops/min"));
        assertEquals(null, RooflineAnalyzer.perSecond(5, "us/op"));
        assertEquals(null, RooflineAnalyzer.perSecond(5, "#"));
    }
}
