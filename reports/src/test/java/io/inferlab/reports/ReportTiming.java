package io.inferlab.reports;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Times report generation for a 500-entry JMH file (the issue asks for under 5 seconds); a main,
 * not a test, so a loaded build machine never fails a build over it. Each entry has the nightly
 * profile's 50 samples; a 500-entry baseline is compared too. The first round includes JVM
 * warm-up (class loading, Java2D and font start-up), which is what a CLI user waits for.
 *
 * <pre>
 * mvn -pl reports test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp reports/target/classes:reports/target/test-classes:$(cat cp.txt) io.inferlab.reports.ReportTiming [rounds]
 * </pre>
 */
public final class ReportTiming {
    private ReportTiming() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("report-timing");
        Path current = JmhFixtures.write(dir.resolve("current.json"), SyntheticJmh.run(500, 5, 10, 0.03, 1));
        Path baseline = JmhFixtures.write(dir.resolve("baseline.json"), SyntheticJmh.run(500, 5, 10, 0.03, 2));
        System.out.printf("500-entry JMH file: %,d bytes; %d cores, load average %.2f%n", Files.size(current),
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        ReportGenerator generator = new ReportGenerator();
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            ReportOutcome plain = generator.generate(ReportOptions.of(current, dir.resolve("plain-" + round)));
            long t1 = System.nanoTime();
            ReportOutcome compared = generator.generate(ReportOptions.of(current, dir.resolve("compared-" + round)).withBaseline(baseline));
            long t2 = System.nanoTime();
            System.out.printf("round %d: report %.2f s (%d charts), with baseline %.2f s (%d comparisons, %d charts)%n", round,
                    (t1 - t0) / 1e9, plain.charts().size(), (t2 - t1) / 1e9, compared.report().comparison().orElseThrow().rows().size(),
                    compared.charts().size());
        }
    }
}
