package io.inferlab.reports.compare;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
 * the first by name). The backend param is whichever of {@link #BACKEND_PARAMS} varies most in
 * the run: our benchmarks carry both {@code acceleration} (CPU, OPENCL, ...) and {@code backend}
 * (a provider id, or {@code auto}), and the one that changes is the one being compared.
 */
public final class BackendComparator {
    /** Param names that identify the backend or acceleration type, in order of preference. */
    public static final List<String> BACKEND_PARAMS = List.of("acceleration", "accelerationType", "backend", "accel");

    private final ComparisonPolicy policy;

    public BackendComparator(ComparisonPolicy policy) {
        this.policy = policy;
    }

    /**
     * The param that names the backend among these results: of the {@link #BACKEND_PARAMS} they
     * carry, the one with the most distinct values (list order breaks ties); empty when none.
     */
    public static Optional<String> backendParam(Collection<BenchmarkResult> results) {
        String best = null;
        long bestValues = 0;
        for (String param : BACKEND_PARAMS) {
            long values = results.stream().map(r -> r.key().params().get(param)).filter(Objects::nonNull).distinct().count();
            if (values > bestValues) {
                best = param;
                bestValues = values;
            }
        }
        return Optional.ofNullable(best);
    }

    public List<BackendComparison> compare(JmhRun run) {
        Optional<String> param = backendParam(run.results());
        if (param.isEmpty()) {
            return List.of();
        }
        Map<BenchmarkKey, TreeMap<String, BenchmarkResult>> groups = new LinkedHashMap<>();
        for (BenchmarkResult r : run.results()) {
            if (!r.key().params().containsKey(param.get()) || !r.primary().hasSamples()) {
                continue;
            }
            groups.computeIfAbsent(r.key().without(param.get()), g -> new TreeMap<>()).put(r.key().params().get(param.get()), r);
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
                out.add(new BackendComparison(g.getKey(), param.get(), reference, b.getKey(), speedup, ci,
                        TwoSampleTests.mannWhitneyP(ref, cand)));
            }
        }
        return out;
    }
}
