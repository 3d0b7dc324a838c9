package io.inferlab.reports;

import java.nio.file.Path;

/**
 * Child process of {@link KilledReportWriterTest}: regenerates the report for one JMH file into
 * the same folder in an endless loop through the production writer ({@link ReportGenerator}),
 * printing "written N" after each, until the test kills it. Each report holds every chart as a
 * PNG and the HTML page with the charts embedded (a few hundred KB), so writes take a while.
 */
public final class ReportWriterChild {
    private ReportWriterChild() {
    }

    public static void main(String[] args) {
        Path input = Path.of(args[0]);
        Path out = Path.of(args[1]);
        ReportGenerator generator = new ReportGenerator();
        for (long n = 1; ; n++) {
            generator.generate(ReportOptions.of(input, out));
            System.out.println("written " + n);
            System.out.flush();
        }
    }
}
