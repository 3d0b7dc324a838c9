package io.inferlab.jmh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Turns the iteration's recorded requests into JMH secondary metrics with vLLM's names, so they
 * live in the JMH JSON next to the primary score: {@code ttft_p50/p90/p99_ms}, {@code tpot_mean_ms},
 * {@code itl_p50/p90/p99_ms}, {@code e2el_mean_ms}, {@code output_tokens_per_s}, {@code requests},
 * {@code failures}, {@code success_rate}, {@code goodput_rate}; and memory: {@code heap_peak_mb}
 * (peak of the heap pools), {@code rss_mb} and {@code rss_peak_mb} (process resident set, from
 * /proc/self/status on Linux), {@code rss_file_mb} (resident file-backed pages: the mapped model),
 * {@code model_mb} (the model file's weight bytes), {@code device_mb} (device memory the backend
 * holds: weights, KV cache and work buffers, where the backend reports it, e.g. OpenCL). Enabled with {@code -prof} + this class name;
 * the bench orchestrator always adds it.
 */
public final class InferenceMetricsProfiler implements InternalProfiler {

    @Override
    public String getDescription() {
        return "InferLab request metrics (TTFT, TPOT, ITL, E2EL, success, goodput) and memory";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        InferenceMetrics.drain();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        List<ScalarResult> out = new ArrayList<>();
        List<InferenceMetrics.Request> requests = InferenceMetrics.drain();
        if (!requests.isEmpty()) {
            addRequestMetrics(requests, out);
        }
        addMemoryMetrics(out);
        return out;
    }

    private static void addRequestMetrics(List<InferenceMetrics.Request> requests, List<ScalarResult> out) {
        List<InferenceMetrics.Request> ok = requests.stream().filter(InferenceMetrics.Request::success).toList();
        out.add(avg("requests", requests.size(), "requests"));
        out.add(avg("failures", requests.size() - ok.size(), "requests"));
        out.add(avg("success_rate", ok.size() / (double) requests.size(), "ratio"));
        out.add(avg("goodput_rate", requests.stream().filter(InferenceMetrics.Request::goodputMet).count()
                / (double) requests.size(), "ratio"));
        if (ok.isEmpty()) {
            return;
        }
        double[] ttft = ok.stream().mapToDouble(r -> r.ttftNs() / 1e6).toArray();
        double[] itl = ok.stream().flatMapToLong(r -> Arrays.stream(r.itlNs())).mapToDouble(v -> v / 1e6).toArray();
        Percentile p = new Percentile();
        for (int q : new int[] {50, 90, 99}) {
            out.add(avg("ttft_p" + q + "_ms", p.evaluate(ttft, q), "ms"));
            if (itl.length > 0) {
                out.add(avg("itl_p" + q + "_ms", p.evaluate(itl, q), "ms"));
            }
        }
        out.add(avg("tpot_mean_ms", ok.stream().mapToDouble(r -> r.tpotNs() / 1e6).average().orElse(0), "ms"));
        out.add(avg("e2el_mean_ms", ok.stream().mapToDouble(r -> r.e2elNs() / 1e6).average().orElse(0), "ms"));
        long tokens = ok.stream().mapToLong(InferenceMetrics.Request::outputTokens).sum();
        double seconds = ok.stream().mapToLong(InferenceMetrics.Request::e2elNs).sum() / 1e9;
        out.add(avg("output_tokens_per_s", seconds > 0 ? tokens / seconds : 0, "tokens/s"));
    }

    private static void addMemoryMetrics(List<ScalarResult> out) {
        long heapPeak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(m -> m.getType() == MemoryType.HEAP)
                .mapToLong(m -> m.getPeakUsage().getUsed()).sum();
        out.add(new ScalarResult("heap_peak_mb", heapPeak / 1048576.0, "MiB", AggregationPolicy.MAX));
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            try {
                for (String line : Files.readAllLines(status)) {
                    String[] f = line.split("\\s+");
                    String name = switch (f[0]) {
                        case "VmRSS:" -> "rss_mb";
                        case "VmHWM:" -> "rss_peak_mb";
                        case "RssFile:" -> "rss_file_mb";
                        default -> null;
                    };
                    if (name != null && f.length >= 2) {
                        out.add(new ScalarResult(name, Long.parseLong(f[1]) / 1024.0, "MiB", AggregationPolicy.MAX));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // memory figures are best effort: a missing line only drops that metric
            }
        }
        InferenceMetrics.deviceMemoryBytes().ifPresent(bytes ->
                out.add(new ScalarResult("device_mb", bytes / 1048576.0, "MiB", AggregationPolicy.MAX)));
        if (InferenceMetrics.modelBytes() > 0) {
            out.add(new ScalarResult("model_mb", InferenceMetrics.modelBytes() / 1048576.0, "MiB", AggregationPolicy.MAX));
        }
    }

    private static ScalarResult avg(String label, double value, String unit) {
        return new ScalarResult(label, value, unit, AggregationPolicy.AVG);
    }
}
