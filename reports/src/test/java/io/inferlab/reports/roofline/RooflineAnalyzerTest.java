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
        assertTrue(report.notes().getFirst().contains("no run metadata") && report.notes().getFirst().contains("weight_bytes_per_token"),
                report.notes().toString());

        Path file = JmhFixtures.copy(JmhFixtures.BASELINE, dir.resolve("no-bandwidth"));
        var full = Scenarios.rooflineMetadata(20e9, 10_000);
        var host = full.host();
        RunMetadataFiles.writeBeside(file, new io.inferlab.reports.meta.RunMetadata(1, full.time(), null, null,
                new io.inferlab.reports.meta.RunMetadata.Host(host.fingerprint(), host.cpuModel(), 2, 4, host.memoryBytes(), host.gpus(),
                        host.os(), host.jvm(), null), full.model(), full.backends()));
        RooflineReport noBandwidth = new RooflineAnalyzer().analyze(new JmhResultReader().read(file));
        assertTrue(noBandwidth.points().isEmpty());
        assertTrue(noBandwidth.notes().getFirst().contains("has no host.memory_read_bandwidth_bytes_per_second"), noBandwidth.notes().toString());
    }

    @Test
    void aTokensRateCounterIsTheTokensPerSecond() {
        // Our DecodeBench counts generated tokens with @AuxCounters(OPERATIONS): a rate, ops/s.
        var tree = JmhFixtures.tree(JmhFixtures.BASELINE);
        var tokens = (com.fasterxml.jackson.databind.node.ObjectNode) JmhFixtures.entry(tree, "decode", "OPENCL").get("secondaryMetrics").get("tokens");
        tokens.put("scoreUnit", "ops/s").put("score", 64.0);
        Path file = JmhFixtures.write(dir.resolve("rate.json"), tree);
        RunMetadataFiles.writeBeside(file, Scenarios.rooflineMetadata(20e9, 1_000_000_000L));
        RooflineReport report = new RooflineAnalyzer().analyze(new JmhResultReader().read(file));
        RooflinePoint opencl = report.points().stream().filter(p -> p.key().params().get("backend").equals("OPENCL")
                && p.key().params().get("suite").equals("quick_qa")).findFirst().orElseThrow();
        assertEquals(64.0, opencl.tokensPerSecond(), 1e-9);
        assertEquals(20.0, opencl.rooflineTokensPerSecond(), 1e-9);
        assertEquals(3.2, opencl.efficiency(), 1e-9);
    }

    @Test
    void ratesConvertToPerSecond() {
        assertEquals(5000.0, RooflineAnalyzer.perSecond(5, "ops/ms"));
        assertEquals(2.0, RooflineAnalyzer.perSecond(120, "ops/min"));
        assertEquals(null, RooflineAnalyzer.perSecond(5, "us/op"));
        assertEquals(null, RooflineAnalyzer.perSecond(5, "#"));
    }
}
