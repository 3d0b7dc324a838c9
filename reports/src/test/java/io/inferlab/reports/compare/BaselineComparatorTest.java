package io.inferlab.reports.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.inferlab.reports.JmhFixtures;
import io.inferlab.reports.jmh.JmhResultReader;
import io.inferlab.reports.jmh.JmhRun;
import io.inferlab.reports.stats.RunStatistics;

/** Run against baseline on real JMH output. */
class BaselineComparatorTest {
    @TempDir
    Path dir;

    private final JmhResultReader reader = new JmhResultReader();
    private final ComparisonPolicy policy = ComparisonPolicy.DEFAULT;

    private ComparisonReport compare(JmhRun base, JmhRun current) {
        return new BaselineComparator(policy).compare(base, RunStatistics.of(base, policy.bootstrap()), current,
                RunStatistics.of(current, policy.bootstrap()));
    }

    private static BaselineComparison row(ComparisonReport r, String method, Map<String, String> params) {
        return r.rows().stream().filter(c -> c.key().method().equals(method) && c.key().params().entrySet().containsAll(params.entrySet()))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + method + " " + params));
    }

    @Test
    void theSlowedDownBackendAndLatencyRegressAndFailTheGate() {
        JmhRun base = reader.read(JmhFixtures.copy(JmhFixtures.BASELINE, dir));
        JmhRun current = reader.read(JmhFixtures.copy(JmhFixtures.CURRENT_OPENCL_SLOWER, dir));
        ComparisonReport r = compare(base, current);
        assertEquals(10, r.rows().size());
        assertTrue(r.onlyInBaseline().isEmpty() && r.onlyInCurrent().isEmpty() && r.skipped().isEmpty());

        // OPENCL's work per operation was made 1.5x larger: its quick_qa throughput halved.
        BaselineComparison opencl = row(r, "decode", Map.of("backend", "OPENCL", "suite", "quick_qa"));
        assertEquals(Verdict.REGRESSED, opencl.verdict());
        assertTrue(opencl.changePercent() < -30, "change " + opencl.changePercent());
        assertTrue(opencl.changeInterval().upper() < 0, "interval " + opencl.changeInterval());
        assertTrue(opencl.pMannWhitney() < 0.001 && opencl.pWelch() < 0.01);
        assertTrue(opencl.effectSize() < -1, "large negative effect on throughput: " + opencl.effectSize());

        // The sampled latency (1.5x the work) grew: a time-mode regression.
        BaselineComparison ttft = row(r, "ttft", Map.of());
        assertEquals(Verdict.REGRESSED, ttft.verdict());
        assertTrue(ttft.changePercent() > 20 && ttft.regressionPercent() == ttft.changePercent());

        // One single-shot sample a side cannot be tested.
        assertEquals(Verdict.INCONCLUSIVE, row(r, "coldStart", Map.of()).verdict());

        GateResult gate = r.gate();
        assertTrue(gate.failed());
        assertTrue(gate.regressions().contains(opencl) && gate.regressions().contains(ttft));
        assertTrue(gate.summary().startsWith("gate FAILED: "), gate.summary());
    }

    @Test
    void aFileAgainstItselfIsUnchangedAndPassesTheGate() {
        JmhRun base = reader.read(JmhFixtures.copy(JmhFixtures.BASELINE, dir));
        ComparisonReport r = compare(base, base);
        assertEquals(9, r.count(Verdict.UNCHANGED));
        assertEquals(1, r.count(Verdict.INCONCLUSIVE));
        r.rows().stream().filter(c -> c.verdict() == Verdict.UNCHANGED).forEach(c -> {
            assertEquals(0, c.changePercent(), 1e-12);
            assertTrue(c.pMannWhitney() > 0.9, c.key().label() + " p = " + c.pMannWhitney());
        });
        assertFalse(r.gate().failed());
    }

    @Test
    void mismatchedBenchmarkSetsAreListedNotCompared() {
        ArrayNode base = JmhFixtures.tree(JmhFixtures.BASELINE);
        ArrayNode current = JmhFixtures.tree(JmhFixtures.BASELINE);
        // The current run lost a benchmark, gained a param value, and changed a unit.
        current.remove(current.size() - 1);
        ((ObjectNode) JmhFixtures.entry(current, "decode", "CPU").get("params")).put("suite", "creative_writing");
        ((ObjectNode) JmhFixtures.entry(current, "prefill", "OPENCL").get("primaryMetric")).put("scoreUnit", "ms/op");
        ComparisonReport r = compare(reader.read(JmhFixtures.write(dir.resolve("b.json"), base)),
                reader.read(JmhFixtures.write(dir.resolve("c.json"), current)));
        assertEquals(7, r.rows().size());
        assertEquals(2, r.onlyInBaseline().size(), r.onlyInBaseline().toString());
        assertTrue(r.onlyInBaseline().stream().anyMatch(k -> k.method().equals("coldStart")));
        assertEquals(1, r.onlyInCurrent().size());
        assertEquals("creative_writing", r.onlyInCurrent().getFirst().params().get("suite"));
        assertEquals(1, r.skipped().size());
        assertTrue(r.skipped().getFirst().contains("unit changed from us/op to ms/op"), r.skipped().toString());
    }

    @Test
    void missingRawDataOnOneSideIsSkippedWithTheSide() {
        ArrayNode current = JmhFixtures.tree(JmhFixtures.BASELINE);
        ((ObjectNode) JmhFixtures.entry(current, "decode", "OPENCL").get("primaryMetric")).remove("rawData");
        ComparisonReport r = compare(reader.read(JmhFixtures.copy(JmhFixtures.BASELINE, dir)),
                reader.read(JmhFixtures.write(dir.resolve("c.json"), current)));
        assertEquals(9, r.rows().size());
        assertTrue(r.skipped().getFirst().contains("no rawData in the current file"), r.skipped().toString());
    }
}
