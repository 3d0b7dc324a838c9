package io.inferlab.reports.render;

import java.util.ArrayList;
import java.util.List;

import io.inferlab.reports.compare.BaselineComparison;
import io.inferlab.reports.compare.ComparisonReport;

/**
 * The baseline comparison as an aligned Markdown table: readable in a terminal, and pasted into a
 * CI job page it renders as a table. Rows that fail the gate say so in the verdict column.
 */
public final class ComparisonTable {
    static final String[] HEADER = {"benchmark", "mode", "params", "unit", "baseline", "current", "change", "95% CI",
        "p (MWU)", "verdict"};

    private ComparisonTable() {
    }

    public static String render(ComparisonReport report) {
        return render(report.rows(), report.policy().maxRegressionPercent());
    }

    static String render(List<BaselineComparison> comparisons, double maxRegressionPercent) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (BaselineComparison c : comparisons) {
            rows.add(row(c, maxRegressionPercent));
        }
        return align(rows);
    }

    static String[] row(BaselineComparison c, double maxRegressionPercent) {
        return new String[] {c.key().shortBenchmark(), c.key().mode().label(), c.key().paramsLabel(), c.unit(),
            Format.number(c.baseline().median()), Format.number(c.current().median()), Format.percent(c.changePercent()),
            Format.interval(c.changeInterval(), Format::percent), Format.pValue(c.pMannWhitney()),
            c.verdict().label() + (c.failsGate(maxRegressionPercent) ? " (fails gate)" : "")};
    }

    /** Rows of cells (the first is the header) as a Markdown table with aligned columns. */
    static String align(List<String[]> rows) {
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        List<String[]> escaped = new ArrayList<>();
        for (String[] r : rows) {
            String[] e = new String[cols];
            for (int i = 0; i < cols; i++) {
                e[i] = Markdown.escape(r[i]);
                width[i] = Math.max(width[i], e[i].length());
            }
            escaped.add(e);
        }
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < escaped.size(); k++) {
            s.append('|');
            for (int i = 0; i < cols; i++) {
                s.append(' ').append(pad(escaped.get(k)[i], width[i])).append(" |");
            }
            s.append('\n');
            if (k == 0) {
                s.append('|');
                for (int i = 0; i < cols; i++) {
                    s.append("-".repeat(width[i] + 2)).append('|');
                }
                s.append('\n');
            }
        }
        return s.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
