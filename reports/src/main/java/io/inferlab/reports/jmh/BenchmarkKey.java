package io.inferlab.reports.jmh;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What identifies a benchmark result across runs: the fully qualified benchmark method, the mode
 * (one method may run in several) and its {@code @Param} values.
 */
public record BenchmarkKey(String benchmark, JmhMode mode, SortedMap<String, String> params) implements Comparable<BenchmarkKey> {
    public BenchmarkKey {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(mode, "mode");
        params = Collections.unmodifiableSortedMap(params == null ? new TreeMap<>() : new TreeMap<>(params));
    }

    /** The method name with its class, without the package: {@code DecodeBench.decode}. */
    public String shortBenchmark() {
        int method = benchmark.lastIndexOf('.');
        int type = method <= 0 ? -1 : benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    /** The method name alone. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** {@code backend=CPU, suite=quick_qa}, or empty without params. */
    public String paramsLabel() {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** A one-line human label: {@code DecodeBench.decode [backend=CPU, suite=quick_qa] thrpt}. */
    public String label() {
        return shortBenchmark() + (params.isEmpty() ? "" : " [" + paramsLabel() + "]") + " " + mode.label();
    }

    /** A short label for chart axes: {@code DecodeBench.decode OPENCL/quick_qa thrpt}. */
    public String compactLabel() {
        return shortBenchmark() + (params.isEmpty() ? "" : " " + String.join("/", params.values())) + " " + mode.label();
    }

    /** This key with one param removed (to group the results that differ only in it). */
    public BenchmarkKey without(String param) {
        TreeMap<String, String> rest = new TreeMap<>(params);
        rest.remove(param);
        return new BenchmarkKey(benchmark, mode, rest);
    }

    @Override
    public int compareTo(BenchmarkKey o) {
        int c = benchmark.compareTo(o.benchmark);
        if (c == 0) {
            c = mode.compareTo(o.mode);
        }
        return c != 0 ? c : paramsLabel().compareTo(o.paramsLabel());
    }
}
