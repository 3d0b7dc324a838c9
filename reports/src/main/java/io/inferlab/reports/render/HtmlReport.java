package io.inferlab.reports.render;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.inferlab.reports.Report;
import io.inferlab.reports.chart.ChartImage;
import io.inferlab.reports.compare.BackendComparison;
import io.inferlab.reports.compare.BaselineComparison;
import io.inferlab.reports.compare.ComparisonReport;
import io.inferlab.reports.compare.GateResult;
import io.inferlab.reports.compare.Verdict;
import io.inferlab.reports.history.ChangePoint;
import io.inferlab.reports.history.HistoryReport;
import io.inferlab.reports.jmh.BenchmarkResult;
import io.inferlab.reports.jmh.JmhMode;
import io.inferlab.reports.jmh.JvmInfo;
import io.inferlab.reports.jmh.Metric;
import io.inferlab.reports.meta.RunMetadata;
import io.inferlab.reports.roofline.RooflinePoint;
import io.inferlab.reports.stats.SampleStatistics;
import io.inferlab.reports.stats.SampleWarnings;

/**
 * The report as one self-contained {@code index.html}: styles inline and every chart embedded as
 * a {@code data:} URI, so the file can be mailed, attached to a CI job or opened from anywhere
 * without its directory. Sections: gate, warnings and skipped, environment, results, backends,
 * baseline comparison, latency percentiles, roofline, history, how to read.
 */
public final class HtmlReport {
    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
            h1{margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
            table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
            th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
            th{background:#f5f5f5}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            .gate{padding:.8em 1em;border-radius:6px;font-weight:600}.pass{background:#e8f5e9;color:#1b5e20}
            .fail{background:#ffebee;color:#b71c1c}.none{background:#f5f5f5;color:#555}
            .regressed{color:#c62828;font-weight:600}.improved{color:#2e7d32;font-weight:600}
            .unchanged{color:#555}.inconclusive{color:#a36b00}.warn{color:#a36b00}
            figure{margin:1em 0}img{max-width:100%;height:auto;border:1px solid #eee}figcaption{color:#555;font-size:.9em}
            .meta{color:#555}code{background:#f5f5f5;padding:0 .2em}
            """;
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    /** Longer lists fold into a closed {@code <details>} element. */
    private static final int OPEN_LIST_LIMIT = 20;

    private HtmlReport() {
    }

    public static String render(Report r) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(esc(r.title())).append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(r.title())).append("</h1>\n<p class=\"meta\">Input <code>").append(esc(r.current().file().toString()))
                .append("</code>");
        r.baseline().ifPresent(b -> h.append(" · baseline <code>").append(esc(b.file().toString())).append("</code>"));
        h.append(" · ").append(r.current().results().size()).append(" results · generated ")
                .append(esc(RFC_3339.format(r.generatedAt().atOffset(ZoneOffset.UTC)))).append("</p>\n");
        gate(h, r);
        notices(h, r);
        environment(h, r);
        results(h, r);
        backends(h, r.backends());
        r.comparison().ifPresent(c -> baseline(h, r, c));
        latency(h, r);
        roofline(h, r);
        r.history().ifPresent(hr -> history(h, r, hr));
        howToRead(h, r);
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void gate(StringBuilder h, Report r) {
        h.append("<section id=\"gate\">\n");
        if (r.gate().isEmpty()) {
            h.append("<p class=\"gate none\">No baseline given: no regression gate.</p>\n");
        } else {
            GateResult g = r.gate().get();
            h.append("<p class=\"gate ").append(g.failed() ? "fail" : "pass").append("\">").append(esc(g.summary())).append("</p>\n");
            if (g.failed()) {
                h.append("<ul>\n");
                for (BaselineComparison c : g.regressions()) {
                    h.append("<li>").append(esc(c.key().label())).append(": ").append(esc(Format.plainPercent(c.regressionPercent())))
                            .append(" worse (").append(esc(Format.pClause(c.pMannWhitney()))).append(")</li>\n");
                }
                h.append("</ul>\n");
            }
        }
        h.append("</section>\n");
    }

    private static void notices(StringBuilder h, Report r) {
        h.append("<section id=\"warnings\">\n<h2>Warnings and skipped</h2>\n");
        if (r.warnings().isEmpty() && r.skipped().isEmpty()) {
            h.append("<p>None: every result was read, compared where possible, and none is too small or too noisy.</p>\n");
        }
        list(h, "Warnings", r.warnings(), "warn");
        list(h, "Skipped", r.skipped(), "");
        h.append("</section>\n");
    }

    private static void list(StringBuilder h, String title, List<String> items, String cssClass) {
        if (items.isEmpty()) {
            return;
        }
        h.append("<details").append(items.size() <= OPEN_LIST_LIMIT ? " open" : "").append("><summary>").append(esc(title))
                .append(" (").append(items.size()).append(")</summary>\n<ul class=\"").append(cssClass).append("\">\n");
        items.forEach(i -> h.append("<li>").append(esc(i)).append("</li>\n"));
        h.append("</ul>\n</details>\n");
    }

    private static void environment(StringBuilder h, Report r) {
        Map<String, String> env = new LinkedHashMap<>();
        r.current().metadata().ifPresent(m -> metadata(env, m));
        BenchmarkResult first = r.current().results().getFirst();
        JvmInfo jvm = first.jvm();
        env.put("JMH", jvm.jmhVersion());
        env.put("JVM", (jvm.vmName() == null ? "" : jvm.vmName() + " ") + (jvm.vmVersion() == null ? "" : jvm.vmVersion()));
        env.put("JDK", jvm.jdkVersion());
        env.put("java", jvm.jvm());
        env.put("JVM arguments", String.join(" ", jvm.jvmArgs()));
        env.put("forks x iterations", r.current().results().stream()
                .map(b -> b.forks() + " x " + b.measurementIterations() + " (warm-up " + b.warmupIterations() + "), "
                        + b.threads() + " thread" + (b.threads() == 1 ? "" : "s"))
                .distinct().collect(Collectors.joining("; ")));
        if (r.current().metadata().isEmpty()) {
            env.put("run metadata", "none beside the input (host, commit and models unknown)");
        }
        h.append("<section id=\"environment\">\n<h2>Environment</h2>\n<table>\n");
        env.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
            }
        });
        h.append("</table>\n</section>\n");
    }

    private static void metadata(Map<String, String> env, RunMetadata m) {
        env.put("time", RFC_3339.format(m.time()));
        env.put("git commit", m.gitCommit());
        env.put("profile", m.profile());
        RunMetadata.Host host = m.host();
        if (host != null) {
            env.put("host fingerprint", host.fingerprint());
            env.put("CPU", host.cpuModel() + ", " + host.physicalCores() + " cores, " + host.logicalCores() + " threads");
            env.put("memory", String.format(Locale.ROOT, "%.1f GiB", host.memoryBytes() / (double) (1L << 30)));
            if (host.memoryReadBandwidthBytesPerSecond() != null) {
                env.put("read bandwidth", String.format(Locale.ROOT, "%.1f GB/s", host.memoryReadBandwidthBytesPerSecond() / 1e9));
            }
            env.put("GPUs", host.gpus().isEmpty() ? "none" : String.join("; ", host.gpus()));
            env.put("OS", host.os());
            env.put("host JVM", host.jvm());
        }
        RunMetadata.Model model = m.model();
        if (model != null) {
            String types = model.tensorTypes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(" "));
            env.put("model", Stream.of(model.name(), model.architecture(), types, model.path(),
                    model.sha256() == null ? null : "sha256 " + model.sha256())
                    .filter(s -> s != null && !s.isBlank()).collect(Collectors.joining(", ")));
        }
        if (!m.backends().isEmpty()) {
            env.put("backends", m.backends().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        }
    }

    private static void results(StringBuilder h, Report r) {
        h.append("<section id=\"results\">\n<h2>Results</h2>\n<p>Statistics of the per-iteration scores (all forks together);")
                .append(" JMH's own score and 99.9% error for reference.</p>\n<table>\n<tr><th>benchmark</th><th>mode</th><th>params</th>")
                .append("<th>n</th><th>mean</th><th>95% CI (t)</th><th>median</th><th>95% CI (bootstrap)</th><th>sd</th><th>CV</th>")
                .append("<th>JMH score</th><th>unit</th><th>warnings</th></tr>\n");
        for (BenchmarkResult b : r.current().results()) {
            SampleStatistics s = r.currentStatistics().get(b.key());
            Metric p = b.primary();
            h.append("<tr><td>").append(esc(b.key().shortBenchmark())).append("</td><td>").append(b.mode().label()).append("</td><td>")
                    .append(esc(b.key().paramsLabel())).append("</td>").append(num(String.valueOf(s.n()))).append(num(Format.number(s.mean())))
                    .append(num(Format.interval(s.meanInterval(), Format::number))).append(num(Format.number(s.median())))
                    .append(num(Format.interval(s.medianInterval(), Format::number))).append(num(Format.number(s.standardDeviation())))
                    .append(num(Format.plainPercent(100 * s.coefficientOfVariation())))
                    .append(num(scoreWithError(p)))
                    .append("<td>").append(esc(p.unit())).append("</td><td class=\"warn\">")
                    .append(esc(String.join("; ", SampleWarnings.of(s)))).append("</td></tr>\n");
        }
        h.append("</table>\n");
        List<BenchmarkResult> withSecondary = r.current().results().stream().filter(b -> !b.secondaries().isEmpty()).toList();
        if (!withSecondary.isEmpty()) {
            h.append("<h3>Secondary metrics</h3>\n<table>\n<tr><th>benchmark</th><th>params</th><th>metric</th><th>score</th>")
                    .append("<th>unit</th><th>samples</th></tr>\n");
            for (BenchmarkResult b : withSecondary) {
                for (Metric m : b.secondaries()) {
                    h.append("<tr><td>").append(esc(b.key().shortBenchmark())).append("</td><td>").append(esc(b.key().paramsLabel()))
                            .append("</td><td>").append(esc(m.name())).append("</td>")
                            .append(num(scoreWithError(m))).append("<td>").append(esc(m.unit())).append("</td>")
                            .append(num(String.valueOf(m.samples().length))).append("</tr>\n");
                }
            }
            h.append("</table>\n");
        }
        charts(h, r, ChartImage.Kind.SCORE);
        h.append("</section>\n");
    }

    private static void backends(StringBuilder h, List<BackendComparison> rows) {
        if (rows.isEmpty()) {
            return;
        }
        h.append("<section id=\"backends\">\n<h2>Backend against backend</h2>\n<p>Speedup of each backend over the reference")
                .append(" on the same benchmark and params (ratio of medians; above 1 is faster), with its 95% bootstrap interval.</p>\n")
                .append("<table>\n<tr><th>benchmark</th><th>mode</th><th>params</th><th>backend</th><th>reference</th>")
                .append("<th>speedup</th><th>95% CI</th><th>p (MWU)</th></tr>\n");
        for (BackendComparison b : rows) {
            h.append("<tr><td>").append(esc(b.group().shortBenchmark())).append("</td><td>").append(b.group().mode().label())
                    .append("</td><td>").append(esc(b.group().paramsLabel())).append("</td><td>").append(esc(b.param() + "=" + b.candidate()))
                    .append("</td><td>").append(esc(b.reference())).append("</td>").append(num(Format.ratio(b.speedup())))
                    .append(num(Format.interval(b.speedupInterval(), Format::ratio))).append(num(Format.pValue(b.pMannWhitney())))
                    .append("</tr>\n");
        }
        h.append("</table>\n</section>\n");
    }

    private static void baseline(StringBuilder h, Report r, ComparisonReport c) {
        h.append("<section id=\"baseline\">\n<h2>Against the baseline</h2>\n<p>").append(c.rows().size()).append(" compared: ")
                .append(c.count(Verdict.REGRESSED)).append(" regressed, ")
                .append(c.count(Verdict.IMPROVED)).append(" improved, ")
                .append(c.count(Verdict.UNCHANGED)).append(" unchanged, ")
                .append(c.count(Verdict.INCONCLUSIVE)).append(" inconclusive; ")
                .append(c.onlyInBaseline().size()).append(" only in the baseline, ").append(c.onlyInCurrent().size())
                .append(" only in this run.</p>\n<table>\n<tr><th>benchmark</th><th>mode</th><th>params</th><th>unit</th>")
                .append("<th>baseline median</th><th>current median</th><th>change</th><th>95% CI</th><th>p (MWU)</th>")
                .append("<th>p (Welch)</th><th>Hedges' g</th><th>verdict</th><th>warnings</th></tr>\n");
        for (BaselineComparison b : c.rows()) {
            String verdict = b.verdict().label();
            h.append("<tr><td>").append(esc(b.key().shortBenchmark())).append("</td><td>").append(b.key().mode().label())
                    .append("</td><td>").append(esc(b.key().paramsLabel())).append("</td><td>").append(esc(b.unit())).append("</td>")
                    .append(num(Format.number(b.baseline().median()))).append(num(Format.number(b.current().median())))
                    .append(num(Format.percent(b.changePercent()))).append(num(Format.interval(b.changeInterval(), Format::percent)))
                    .append(num(Format.pValue(b.pMannWhitney()))).append(num(Format.pValue(b.pWelch())))
                    .append(num(Double.isNaN(b.effectSize()) ? "–" : String.format(Locale.ROOT, "%+.2f", b.effectSize())))
                    .append("<td class=\"").append(verdict).append("\">").append(verdict)
                    .append(b.failsGate(c.policy().maxRegressionPercent()) ? " (fails gate)" : "").append("</td><td class=\"warn\">")
                    .append(esc(String.join("; ", b.warnings()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
        charts(h, r, ChartImage.Kind.CHANGE);
        h.append("</section>\n");
    }

    private static void latency(StringBuilder h, Report r) {
        List<BenchmarkResult> sampled = r.current().results().stream()
                .filter(b -> b.mode() == JmhMode.SAMPLE_TIME && !b.primary().percentiles().isEmpty()).toList();
        if (sampled.isEmpty()) {
            return;
        }
        h.append("<section id=\"latency\">\n<h2>Latency percentiles</h2>\n<table>\n<tr><th>benchmark</th><th>params</th>")
                .append("<th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>unit</th></tr>\n");
        for (BenchmarkResult b : sampled) {
            Metric p = b.primary();
            h.append("<tr><td>").append(esc(b.key().shortBenchmark())).append("</td><td>").append(esc(b.key().paramsLabel())).append("</td>")
                    .append(num(Format.number(p.percentile(50.0)))).append(num(Format.number(p.percentile(90.0))))
                    .append(num(Format.number(p.percentile(99.0)))).append(num(Format.number(p.percentile(99.9))))
                    .append(num(Format.number(p.percentile(100.0)))).append("<td>").append(esc(p.unit())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        charts(h, r, ChartImage.Kind.LATENCY);
        h.append("</section>\n");
    }

    private static void roofline(StringBuilder h, Report r) {
        if (r.roofline().points().isEmpty()) {
            return;
        }
        h.append("<section id=\"roofline\">\n<h2>Decode against the roofline</h2>\n<table>\n<tr><th>benchmark</th><th>params</th>")
                .append("<th>tokens/s</th><th>roofline tokens/s</th><th>efficiency</th></tr>\n");
        for (RooflinePoint p : r.roofline().points()) {
            h.append("<tr><td>").append(esc(p.key().shortBenchmark())).append("</td><td>").append(esc(p.key().paramsLabel())).append("</td>")
                    .append(num(Format.number(p.tokensPerSecond()))).append(num(Format.number(p.rooflineTokensPerSecond())))
                    .append(num(Format.plainPercent(100 * p.efficiency()))).append("</tr>\n");
        }
        h.append("</table>\n");
        charts(h, r, ChartImage.Kind.ROOFLINE);
        h.append("</section>\n");
    }

    private static void history(StringBuilder h, Report r, HistoryReport history) {
        h.append("<section id=\"history\">\n<h2>History</h2>\n<p>").append(history.runs().size()).append(" runs, ")
                .append(history.series().size()).append(" benchmark series, ").append(history.changePoints().size())
                .append(" change points.</p>\n");
        if (!history.changePoints().isEmpty()) {
            h.append("<table>\n<tr><th>benchmark</th><th>shifted at run</th><th>time</th><th>before</th><th>after</th>")
                    .append("<th>shift</th><th>p</th><th>direction</th></tr>\n");
            for (ChangePoint c : history.changePoints()) {
                h.append("<tr><td>").append(esc(c.key().label())).append("</td><td>").append(esc(c.runLabel())).append("</td><td>")
                        .append(esc(RFC_3339.format(c.time().atOffset(ZoneOffset.UTC)))).append("</td>")
                        .append(num(Format.number(c.before()))).append(num(Format.number(c.after())))
                        .append(num(Format.percent(c.shiftPercent()))).append(num(Format.pValue(c.pValue())))
                        .append("<td class=\"").append(c.regression() ? "regressed\">worse" : "improved\">better").append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        charts(h, r, ChartImage.Kind.HISTORY);
        h.append("</section>\n");
    }

    private static void howToRead(StringBuilder h, Report r) {
        var p = r.policy();
        h.append("<section id=\"how-to-read\">\n<h2>How to read this report</h2>\n<ul>\n")
                .append("<li><b>Samples</b> are JMH's per-iteration scores of all forks (sample mode: each iteration's mean).")
                .append(" Intervals are 95%: t-based for means, bootstrap for medians and ratios.</li>\n")
                .append("<li><b>Warnings</b>: fewer than ").append(SampleWarnings.MIN_SAMPLES).append(" samples, or a coefficient of")
                .append(" variation above ").append(Math.round(100 * SampleWarnings.MAX_CV)).append("%.</li>\n")
                .append("<li><b>Verdicts</b> compare medians: <span class=\"regressed\">regressed</span> or")
                .append(" <span class=\"improved\">improved</span> when the Mann-Whitney U test gives p &lt; ")
                .append(esc(String.valueOf(p.alpha()))).append(" and the change is at least ")
                .append(esc(Format.plainPercent(p.minChangePercent())))
                .append("; <span class=\"unchanged\">unchanged</span> otherwise; <span class=\"inconclusive\">inconclusive</span>")
                .append(" with fewer than ").append(SampleWarnings.MIN_SAMPLES_FOR_TEST).append(" samples on a side.</li>\n")
                .append("<li><b>The gate</b> fails when a benchmark regressed by more than ")
                .append(esc(Format.plainPercent(p.maxRegressionPercent()))).append(". Throughput regresses when it drops, time modes")
                .append(" when they grow.</li>\n</ul>\n</section>\n");
    }

    private static void charts(StringBuilder h, Report r, ChartImage.Kind kind) {
        for (ChartImage c : r.charts()) {
            if (c.kind() != kind) {
                continue;
            }
            h.append("<figure><img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(c.png()))
                    .append("\" alt=\"").append(esc(c.title())).append("\" data-file=\"charts/").append(esc(c.fileName()))
                    .append("\"><figcaption>").append(esc(c.caption())).append("</figcaption></figure>\n");
        }
    }

    /** JMH's score and its 99.9% error, as JMH prints them. */
    private static String scoreWithError(Metric m) {
        return Format.number(m.score()) + (Double.isNaN(m.scoreError()) ? "" : " ± " + Format.number(m.scoreError()));
    }

    private static String num(String text) {
        return "<td class=\"num\">" + esc(text) + "</td>";
    }

    private static String esc(String s) {
        return Html.escape(s);
    }
}
