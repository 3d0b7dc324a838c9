package io.inferlab.reports.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.reports.JmhFixtures;
import io.inferlab.reports.jmh.BenchmarkResult;
import io.inferlab.reports.jmh.JmhResultReader;
import io.inferlab.reports.jmh.JmhRun;

/** Backend against backend within the real baseline run (CPU and OPENCL params). */
class BackendComparatorTest {
    @TempDir
    Path dir;

    @Test
    void eachBackendIsComparedWithTheCpuOnTheSameSuite() {
        JmhRun run = new JmhResultReader().read(JmhFixtures.copy(JmhFixtures.BASELINE, dir));
        List<BackendComparison> rows = new BackendComparator(ComparisonPolicy.DEFAULT).compare(run);
        // decode and prefill, two suites each; ttft and coldStart have only the CPU.
        assertEquals(4, rows.size());
        for (BackendComparison b : rows) {
            assertEquals("backend", b.param());
            assertEquals("CPU", b.reference());
            assertEquals("OPENCL", b.candidate());
            assertTrue(!b.group().params().containsKey("backend") && b.group().params().containsKey("suite"));
            assertTrue(b.speedupInterval().contains(b.speedup()) || !b.speedupInterval().isKnown(), b.toString());
        }
        Median median = new Median();
        BackendComparison decode = rows.stream().filter(b -> b.group().method().equals("decode")
                && b.group().params().get("suite").equals("quick_qa")).findFirst().orElseThrow();
        // Throughput: candidate / reference.
        assertEquals(median.evaluate(sample(run, "decode", "OPENCL", "quick_qa")) / median.evaluate(sample(run, "decode", "CPU", "quick_qa")),
                decode.speedup(), 1e-12);
        assertTrue(decode.speedup() > 1.5, "OPENCL does less work per operation in the fixture: " + decode.speedup());
        BackendComparison prefill = rows.stream().filter(b -> b.group().method().equals("prefill")
                && b.group().params().get("suite").equals("quick_qa")).findFirst().orElseThrow();
        // Time: reference / candidate, so above 1 still means faster.
        assertEquals(median.evaluate(sample(run, "prefill", "CPU", "quick_qa")) / median.evaluate(sample(run, "prefill", "OPENCL", "quick_qa")),
                prefill.speedup(), 1e-12);
        assertTrue(prefill.speedup() > 1 && prefill.pMannWhitney() < 0.01, prefill.toString());
    }

    @Test
    void theBackendParamIsTheOneThatVaries() {
        // Our benchmarks carry acceleration (CPU, OPENCL, ...) and backend (a provider id or "auto").
        var tree = JmhFixtures.tree(JmhFixtures.BASELINE);
        for (var entry : tree) {
            var params = (com.fasterxml.jackson.databind.node.ObjectNode) entry.get("params");
            params.set("acceleration", params.get("backend"));
            params.put("backend", "auto");
        }
        JmhRun run = new JmhResultReader().read(JmhFixtures.write(dir.resolve("accel.json"), tree));
        List<BackendComparison> rows = new BackendComparator(ComparisonPolicy.DEFAULT).compare(run);
        assertEquals(4, rows.size());
        rows.forEach(b -> {
            assertEquals("acceleration", b.param());
            assertEquals("auto", b.group().params().get("backend"));
        });
    }

    private static double[] sample(JmhRun run, String method, String backend, String suite) {
        return run.results().stream().filter(r -> r.key().method().equals(method) && r.key().params().get("backend").equals(backend)
                && r.key().params().get("suite").equals(suite)).map(BenchmarkResult::primary).findFirst().orElseThrow().samples();
    }
}
