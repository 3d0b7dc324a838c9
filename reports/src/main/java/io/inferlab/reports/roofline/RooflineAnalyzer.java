package io.inferlab.reports.roofline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.inferlab.reports.jmh.BenchmarkKey;
import io.inferlab.reports.jmh.BenchmarkResult;
import io.inferlab.reports.jmh.JmhMode;
import io.inferlab.reports.jmh.JmhRun;
import io.inferlab.reports.jmh.Metric;
import io.inferlab.reports.meta.RunMetadata;

/**
 * Finds the decode results of a run and sets them against the roofline from its metadata
 * ({@code host.memory_read_bandwidth_bytes_per_second} / {@code model.weight_bytes_per_token}).
 *
 * <p>A decode result is a throughput result whose method name contains "decode" or that has a
 * llama-bench {@code tgN} param value. Its tokens/s is its {@code tokens} secondary metric when
 * that is a rate ({@code @AuxCounters(Type.OPERATIONS)} counting generated tokens), otherwise its
 * primary throughput (one operation = one token).
 */
public final class RooflineAnalyzer {
    private static final Pattern TG_TEST = Pattern.compile("tg\\d+");

    public static boolean isDecode(BenchmarkKey key) {
        return key.mode() == JmhMode.THROUGHPUT && (key.method().toLowerCase(Locale.ROOT).contains("decode")
                || key.params().values().stream().anyMatch(v -> TG_TEST.matcher(v).matches()));
    }

    public RooflineReport analyze(JmhRun run) {
        List<BenchmarkResult> decode = run.results().stream().filter(r -> isDecode(r.key())).toList();
        List<RooflinePoint> points = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (decode.isEmpty()) {
            return new RooflineReport(points, notes);
        }
        Optional<RunMetadata> meta = run.metadata();
        Double bandwidth = meta.map(m -> m.host() == null ? null : m.host().memoryReadBandwidthBytesPerSecond()).orElse(null);
        if (meta.isEmpty()) {
            notes.add("no roofline: no run metadata beside " + run.file().getFileName() + " (the roofline needs its"
                    + " host.memory_read_bandwidth_bytes_per_second and model.weight_bytes_per_token)");
            return new RooflineReport(points, notes);
        }
        if (bandwidth == null || !(bandwidth > 0)) {
            notes.add("no roofline: the run metadata beside " + run.file().getFileName()
                    + " has no host.memory_read_bandwidth_bytes_per_second");
            return new RooflineReport(points, notes);
        }
        for (BenchmarkResult r : decode) {
            // A run measures one model (the metadata's); its decode results all read its weights.
            RunMetadata.Model model = meta.get().model();
            Long bytesPerToken = model == null ? null : model.weightBytesPerToken();
            if (bytesPerToken == null || bytesPerToken <= 0) {
                notes.add("no roofline for " + r.key().label() + ": the run metadata has no model.weight_bytes_per_token");
                continue;
            }
            OptionalRate tps = tokensPerSecond(r);
            if (tps.value() == null) {
                notes.add("no roofline for " + r.key().label() + ": " + tps.problem());
                continue;
            }
            points.add(new RooflinePoint(r.key(), tps.value(), bandwidth / bytesPerToken));
        }
        return new RooflineReport(points, notes);
    }

    private record OptionalRate(Double value, String problem) {
    }

    private static OptionalRate tokensPerSecond(BenchmarkResult r) {
        Optional<Metric> tokens = r.secondary("tokens");
        if (tokens.isPresent()) {
            Double perSecond = perSecond(tokens.get().score(), tokens.get().unit());
            if (perSecond != null) {
                return new OptionalRate(perSecond, null);
            }
        }
        Double perSecond = perSecond(r.primary().score(), r.primary().unit());
        return perSecond != null ? new OptionalRate(perSecond, null)
                : new OptionalRate(null, "its unit '" + r.primary().unit() + "' is not a rate");
    }

    /** Converts a JMH rate ({@code ops/ms}) to per second; null for a unit that is not a rate. */
    static Double perSecond(double value, String unit) {
        int slash = unit.lastIndexOf('/');
        if (slash < 0) {
            return null;
        }
        double seconds = switch (unit.substring(slash + 1)) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            case "day" -> 86400;
            default -> Double.NaN;
        };
        return Double.isNaN(seconds) ? null : value / seconds;
    }
}
