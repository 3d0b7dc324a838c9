package io.inferlab.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.inferlab.reports.ReportInputException;
import io.inferlab.reports.compare.BaselineComparator;
import io.inferlab.reports.compare.ComparisonPolicy;
import io.inferlab.reports.compare.ComparisonReport;
import io.inferlab.reports.compare.GateResult;
import io.inferlab.reports.jmh.JmhResultReader;
import io.inferlab.reports.jmh.JmhRun;
import io.inferlab.reports.render.ComparisonTable;
import io.inferlab.reports.stats.RunStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inferlab compare BASE.json NEW.json}: the baseline comparison table on stdout (an aligned
 * Markdown table), benchmarks that could not be compared on stderr, and the same gate and exit
 * codes as {@code report}.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two JMH JSON results, benchmark by benchmark (same benchmark, mode and params): median change, "
                + "bootstrap interval, Mann-Whitney p-value and verdict. Exit code 3 when a benchmark regressed significantly "
                + "by more than --max-regression percent.")
final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BASE.json", description = "The baseline JMH JSON result.")
    Path baseline;

    @Parameters(index = "1", paramLabel = "NEW.json", description = "The JMH JSON result to compare with it.")
    Path current;

    @Option(names = "--max-regression", paramLabel = "PCT", defaultValue = "2",
            description = "Exit 3 when a benchmark regressed significantly by more than PCT percent (default: ${DEFAULT-VALUE}).")
    double maxRegressionPercent;

    @Option(names = "--min-change", paramLabel = "PCT", defaultValue = "2",
            description = "Smallest change that counts as improved or regressed (default: ${DEFAULT-VALUE}).")
    double minChangePercent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ComparisonPolicy policy = ReportCommand.GateOptions.policy(spec, minChangePercent, maxRegressionPercent);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        ComparisonReport report;
        try {
            JmhResultReader reader = new JmhResultReader();
            JmhRun base = reader.read(baseline);
            JmhRun now = reader.read(current);
            base.skipped().forEach(s -> stderr.println("skipped in " + baseline.getFileName() + ": " + s));
            now.skipped().forEach(s -> stderr.println("skipped in " + current.getFileName() + ": " + s));
            // The table shows medians and the change's interval, not the medians' own intervals.
            report = new BaselineComparator(policy).compare(base, RunStatistics.withoutMedianIntervals(base, policy.bootstrap()), now,
                    RunStatistics.withoutMedianIntervals(now, policy.bootstrap()));
        } catch (ReportInputException e) {
            stderr.println("inferlab: error: " + e.getMessage());
            return Main.EXIT_ERROR;
        }
        report.onlyInBaseline().forEach(k -> stderr.println("only in " + baseline.getFileName() + ", not compared: " + k.label()));
        report.onlyInCurrent().forEach(k -> stderr.println("only in " + current.getFileName() + ", not compared: " + k.label()));
        report.skipped().forEach(s -> stderr.println("not compared: " + s));
        if (report.rows().isEmpty()) {
            stdout.println("no benchmark (same name, mode and params) is in both files: nothing to compare");
        } else {
            stdout.print(ComparisonTable.render(report));
        }
        GateResult gate = report.gate();
        stdout.println(gate.summary());
        return gate.failed() ? ReportCommand.EXIT_REGRESSION : 0;
    }
}
