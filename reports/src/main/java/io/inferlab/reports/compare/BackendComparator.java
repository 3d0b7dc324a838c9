package io.inferlab.reports.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.commons.math3.stat.descriptive.rank.Median;

import io.inferlab.reports.jmh.BenchmarkKey;
import io.inferlab.reports.jmh.BenchmarkResult;
import io.inferlab.reports.jmh.JmhRun;
import io.inferlab.reports.stats.ConfidenceInterval;
import io.inferlab.reports.stats.RunStatistics;
import io.inferlab.reports.stats.TwoSampleTests;

/**
 * Backend versus backend within one run: results that differ only in the backend param are
 * compared with the reference backend (the CPU when present, since it runs everywhere; otherwise
 * the first by name).
 */
public final class BackendComparator {
    /** Param names that identify the backend or acceleration type, in order of preference. */
    public static final List<String> BACKEND_PARAMS = List.of("backend", "acceleration", "accelerationType", "accel");

    private final ComparisonPolicy policy;

    public BackendComparator(ComparisonPolicy policy) {
        this.policy = policy;
    }

    /** The backend param of a result, if it has one. */
    public static Optional<String> backendParam(BenchmarkKey key) {
        return BACKEND_PARAMS.stream().filter(key.params()::containsKey).findFirst();
    }

    public List<BackendComparison> compare(JmhRun run) {
        Map<BenchmarkKey, TreeMap<String, BenchmarkResult>> groups = new LinkedHashMap<>();
        Map<BenchmarkKey, String> paramOf = new LinkedHashMap<>();
        for (BenchmarkResult r : run.results()) {
            Optional<String> param = backendParam(r.key());
            if (param.isEmpty() || !r.primary().hasSamples()) {
                continue;
            }
            BenchmarkKey group = r.key().without(param.get());
            groups.computeIfAbsent(group, g -> new TreeMap<>()).put(r.key().params().get(param.get()), r);
            paramOf.put(group, param.get());
        }
        List<BackendComparison> out = new ArrayList<>();
        Median median = new Median();
        for (var g : groups.entrySet()) {
            TreeMap<String, BenchmarkResult> backends = g.getValue();
            if (backends.size() < 2) {
                continue;
            }
            String reference = backends.keySet().stream().filter(b -> b.toLowerCase(Locale.ROOT).equals("cpu")).findFirst()
                    .orElse(backends.firstKey());
            double[] ref = backends.get(reference).primary().samples();
            for (var b : backends.entrySet()) {
                if (b.getKey().equals(reference)) {
                    continue;
                }
                double[] cand = b.getValue().primary().samples();
                boolean higher = g.getKey().mode().higherIsBetter();
                double[] num = higher ? cand : ref;
                double[] den = higher ? ref : cand;
                double denMedian = median.evaluate(den);
                double speedup = denMedian == 0 ? Double.NaN : median.evaluate(num) / denMedian;
                ConfidenceInterval ci = policy.bootstrap().ratioOfMedians(num, den, RunStatistics.seedOf(b.getValue().key(), 3));
                out.add(new BackendComparison(g.getKey(), paramOf.get(g.getKey()), reference, b.getKey(), speedup, ci,
                        TwoSampleTests.mannWhitneyP(ref, cand)));
            }
        }
        return out;
    }
}
