package io.inferlab.reports.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.inferlab.reports.Report;
import io.inferlab.reports.compare.BaselineComparison;
import io.inferlab.reports.compare.ComparisonReport;
import io.inferlab.reports.compare.GateResult;
import io.inferlab.reports.compare.Verdict;
import io.inferlab.reports.history.ChangePoint;
import io.inferlab.reports.jmh.BenchmarkResult;
import io.inferlab.reports.stats.SampleStatistics;

/**
 * A short Markdown summary for a CI job page (for example appended to
 * {@code $GITHUB_STEP_SUMMARY}): the gate's verdict first, then what changed, then what deserves
 * a look. Long lists are cut; index.html and the CSV files hold everything.
 */
public final class MarkdownSummary {
    private static final int MAX_ROWS = 50;
    private static final int MAX_ITEMS = 30;

    private MarkdownSummary() {
    }

    public static String render(Report r) {
        StringBuilder md = new StringBuilder();
        md.append("## ").append(Markdown.escape(r.title())).append("\n\n");
        if (r.gate().isPresent()) {
            GateResult g = r.gate().get();
            md.append("**").append(Character.toUpperCase(g.summary().charAt(0))).append(g.summary().substring(1)).append("**\n\n");
        } else {
            md.append("No baseline: no regression gate.\n\n");
        }
        md.append("Input `").append(r.current().file().getFileName()).append("`");
        r.baseline().ifPresent(b -> md.append(", baseline `").append(b.file().getFileName()).append("`"));
        md.append(": ").append(r.current().results().size()).append(" results.\n\n");

        if (r.comparison().isPresent()) {
            comparison(md, r.comparison().get());
        } else {
            results(md, r);
        }
        r.history().ifPresent(h -> {
            if (!h.changePoints().isEmpty()) {
                md.append("### Change points\n\n");
                for (ChangePoint c : h.changePoints()) {
                    md.append(String.format(Locale.ROOT, "- %s: %s (%s) at run %s%n", Markdown.escape(c.key().label()),
                            Format.percent(c.shiftPercent()), c.regression() ? "worse" : "better", Markdown.escape(c.runLabel())));
                }
                md.append('\n');
            }
        });
        items(md, "Warnings", r.warnings());
        items(md, "Skipped", r.skipped());
        return md.toString();
    }

    private static void comparison(StringBuilder md, ComparisonReport c) {
        for (Verdict v : List.of(Verdict.REGRESSED, Verdict.IMPROVED)) {
            List<BaselineComparison> rows = c.rows().stream().filter(x -> x.verdict() == v).limit(MAX_ROWS).toList();
            if (!rows.isEmpty()) {
                md.append("### ").append(v == Verdict.REGRESSED ? "Regressions" : "Improvements").append(" (").append(c.count(v))
                        .append(")\n\n").append(ComparisonTable.render(rows, c.policy().maxRegressionPercent())).append('\n');
            }
        }
        md.append(String.format(Locale.ROOT, "%d unchanged, %d inconclusive (too few samples); %d only in the baseline, %d only"
                + " in this run.%n%n", c.count(Verdict.UNCHANGED), c.count(Verdict.INCONCLUSIVE), c.onlyInBaseline().size(),
                c.onlyInCurrent().size()));
    }

    private static void results(StringBuilder md, Report r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"benchmark", "mode", "params", "n", "median", "95% CI", "CV", "unit"});
        for (BenchmarkResult b : r.current().results().stream().limit(MAX_ROWS).toList()) {
            SampleStatistics s = r.currentStatistics().get(b.key());
            rows.add(new String[] {b.key().shortBenchmark(), b.mode().label(), b.key().paramsLabel(), String.valueOf(s.n()),
                Format.number(s.n() > 0 ? s.median() : b.primary().score()), Format.interval(s.medianInterval(), Format::number),
                Format.plainPercent(100 * s.coefficientOfVariation()), b.primary().unit()});
        }
        md.append("### Results\n\n").append(ComparisonTable.align(rows));
        if (r.current().results().size() > MAX_ROWS) {
            md.append("\n(first ").append(MAX_ROWS).append(" of ").append(r.current().results().size()).append("; see index.html)\n");
        }
        md.append('\n');
    }

    private static void items(StringBuilder md, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        md.append("### ").append(title).append(" (").append(items.size()).append(")\n\n");
        items.stream().limit(MAX_ITEMS).forEach(i -> md.append("- ").append(Markdown.escape(i)).append('\n'));
        if (items.size() > MAX_ITEMS) {
            md.append("- ... and ").append(items.size() - MAX_ITEMS).append(" more (see index.html)\n");
        }
        md.append('\n');
    }
}
