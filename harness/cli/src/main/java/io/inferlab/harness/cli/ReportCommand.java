package io.inferlab.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.inferlab.reports.ReportGenerator;
import io.inferlab.reports.ReportInputException;
import io.inferlab.reports.ReportOptions;
import io.inferlab.reports.ReportOutcome;
import io.inferlab.reports.compare.ComparisonPolicy;
import io.inferlab.reports.compare.GateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code inferlab report}: a JMH result file to index.html, summary.md, CSV and PNG charts, with
 * the regression gate when a baseline is given. Exit 3 when the gate fails, so a nightly job can
 * fail on it; 1 with one line naming the file when an input is unusable.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Turn a JMH JSON result into a report: statistics, comparisons, PNG charts, a self-contained index.html, "
                + "a Markdown summary (summary.md) and CSV files. With --baseline it runs the regression gate: exit code 3 when a "
                + "benchmark regressed significantly by more than --max-regression percent.")
final class ReportCommand implements Callable<Integer> {
    /** The gate found a regression. */
    static final int EXIT_REGRESSION = 3;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "RESULT.json", description = "JMH JSON result of the run to report on.")
    Path input;

    @Option(names = {"-b", "--baseline"}, paramLabel = "BASE.json", description = "JMH JSON result to compare with (enables the gate).")
    Path baseline;

    @Option(names = "--history", paramLabel = "DIR", description = "Result store directory of earlier runs: history lines and change points.")
    Path history;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Directory to write the report into (created if missing).")
    Path out;

    @Option(names = "--max-regression", paramLabel = "PCT", defaultValue = "2",
            description = "Fail (exit 3) when a benchmark regressed significantly by more than PCT percent (default: ${DEFAULT-VALUE}).")
    double maxRegressionPercent;

    @Option(names = "--min-change", paramLabel = "PCT", defaultValue = "2",
            description = "Smallest change that counts as improved or regressed; smaller ones are unchanged (default: ${DEFAULT-VALUE}).")
    double minChangePercent;

    @Option(names = "--title", description = "Report title.")
    String title;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ComparisonPolicy policy = GateOptions.policy(spec, minChangePercent, maxRegressionPercent);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        ReportOutcome outcome;
        try {
            outcome = new ReportGenerator().generate(new ReportOptions(input, Optional.ofNullable(baseline), Optional.ofNullable(history),
                    out, policy, title, ReportOptions.DEFAULT_MAX_CHARTS));
        } catch (ReportInputException e) {
            stderr.println("inferlab: error: " + e.getMessage());
            return Main.EXIT_ERROR;
        }
        var report = outcome.report();
        stdout.printf("report: %s (%d results, %d charts)%n", outcome.html(), report.current().results().size(), outcome.charts().size());
        stdout.printf("summary: %s%n", outcome.markdown());
        if (!report.warnings().isEmpty() || !report.skipped().isEmpty()) {
            stdout.printf("%d warnings, %d skipped: see the report's 'Warnings and skipped' section%n", report.warnings().size(),
                    report.skipped().size());
        }
        Optional<GateResult> gate = report.gate();
        if (gate.isEmpty()) {
            stdout.println("no baseline: no regression gate");
            return 0;
        }
        stdout.println(gate.get().summary());
        gate.get().regressions().forEach(c -> stdout.printf("  regressed: %s by %.1f%%%n", c.key().label(), c.regressionPercent()));
        return gate.get().failed() ? EXIT_REGRESSION : 0;
    }

    /** The gate options shared by {@code report} and {@code compare}. */
    static final class GateOptions {
        private GateOptions() {
        }

        static ComparisonPolicy policy(CommandSpec spec, double minChangePercent, double maxRegressionPercent) {
            if (!(maxRegressionPercent >= 0) || Double.isInfinite(maxRegressionPercent)) {
                throw new ParameterException(spec.commandLine(), "--max-regression must be a percentage >= 0, got " + maxRegressionPercent);
            }
            if (!(minChangePercent >= 0) || Double.isInfinite(minChangePercent)) {
                throw new ParameterException(spec.commandLine(), "--min-change must be a percentage >= 0, got " + minChangePercent);
            }
            return ComparisonPolicy.DEFAULT.withMinChangePercent(minChangePercent).withMaxRegressionPercent(maxRegressionPercent);
        }
    }
}
