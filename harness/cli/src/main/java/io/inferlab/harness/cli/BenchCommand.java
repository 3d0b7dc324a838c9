package io.inferlab.harness.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.AtomicFiles;
import io.inferlab.reports.ReportGenerator;
import io.inferlab.reports.ReportOptions;
import io.inferlab.reports.ReportOutcome;
import io.inferlab.reports.compare.ComparisonPolicy;
import io.inferlab.datasets.suites.PromptSuites;
import io.inferlab.harness.bench.MemoryBandwidth;
import io.inferlab.harness.detect.AccelerationStatus;
import io.inferlab.harness.detect.HardwareDetector;
import io.inferlab.harness.detect.HardwareProfile;
import io.inferlab.harness.detect.ProviderStatus;
import io.inferlab.harness.results.ResultStore;
import io.inferlab.harness.results.RunMetadata;
import io.inferlab.jmh.ModelResolver;
import io.inferlab.jmh.run.BenchPlan;
import io.inferlab.jmh.run.BenchProfile;
import io.inferlab.jmh.run.BenchRunner;
import io.inferlab.jmh.run.BenchTarget;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inferlab bench}: the main job. Finds the backends that can run here, runs the JMH
 * benchmarks (prefill, decode, the prompt suites) over each, and writes {@code jmh-result.json}
 * and {@code run-metadata.json} atomically into the output folder and the result store. A
 * backend that cannot run is logged with its reason and skipped, never a failure.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the JMH benchmarks over every available backend and store the results.")
final class BenchCommand implements Callable<Integer> {
    private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    static final class ProfileChoice {
        @Option(names = "--quick", description = "Short run: 1 fork, short iterations (default).")
        boolean quick;

        @Option(names = "--nightly", description = "Regression-tracking run: 3 forks, more iterations.")
        boolean nightly;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ProfileChoice profileChoice;

    @Option(names = "--acceleration", split = ",", description = "Acceleration types to run (default: every available one).")
    List<String> accelerations;

    @Option(names = "--suite", split = ",", description = "Prompt suites (built-in names or JSON files; default: all four).")
    List<String> suites;

    @Option(names = "--model", defaultValue = "tiny", description = "Preset name or GGUF path (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--type", defaultValue = "q8_0", description = "Tensor type of a preset model (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = {"-p", "--n-prompt"}, defaultValue = "128", description = "Prompt tokens of PrefillBench (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = {"-n", "--n-gen"}, defaultValue = "64", description = "Generated tokens of DecodeBench (default: ${DEFAULT-VALUE}).")
    int genTokens;

    @Option(names = "--matvec", description = "Also run MatvecBench (kernel bandwidth per tensor type).")
    boolean matvec;

    @Option(names = "--out", description = "Output folder (default: bench-results/<UTC time>).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        BenchProfile profile = profileChoice != null && profileChoice.nightly ? BenchProfile.NIGHTLY : BenchProfile.QUICK;
        List<String> suiteNames = suites == null ? PromptSuites.BUILT_IN : suites;
        suiteNames.forEach(PromptSuites::resolve); // validate before any benchmark starts
        Instant start = Instant.now();
        Path outDir = out != null ? out : Path.of("bench-results", FOLDER_TIME.format(start));
        Path modelPath = ModelResolver.resolve(model, type);

        HardwareProfile hardware = HardwareDetector.detect();
        // The roofline's numerator: measured once per run, before the benchmarks load the machine.
        double bandwidth = MemoryBandwidth.measure(Runtime.getRuntime().availableProcessors(), 1L << 30, 3);
        BenchPlan plan = new BenchPlan(profile, targets(hardware, err), suiteNames, modelPath.toString(), type, promptTokens,
                genTokens, matvec, outDir);
        PrintStream progress = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        Path result = new BenchRunner(progress).run(plan);

        RunMetadata metadata = RunInfo.metadata(start, profile.name().toLowerCase(Locale.ROOT), hardware, bandwidth, modelPath,
                plan.targets());
        AtomicFiles.writeString(outDir.resolve(ResultStore.METADATA_FILE),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(metadata));
        Path stored = ResultStore.standard().save(result, metadata, start);
        PrintWriter outw = spec.commandLine().getOut();
        Headline.print(outw, result);
        renderReport(result, outDir.resolve("report"), stored.getParent(), err, outw);
        outw.println("results: " + result.toAbsolutePath());
        outw.println("metadata: " + outDir.resolve(ResultStore.METADATA_FILE).toAbsolutePath());
        outw.println("stored in: " + stored.toAbsolutePath());
        return 0;
    }

    /** The HTML/Markdown report of the run, with the store's history; a report failure never loses the results. */
    private static void renderReport(Path result, Path reportDir, Path history, PrintWriter err, PrintWriter out) {
        try {
            ReportOutcome outcome = new ReportGenerator().generate(new ReportOptions(result, Optional.empty(),
                    Optional.of(history), reportDir, ComparisonPolicy.DEFAULT, "InferLab bench", ReportOptions.DEFAULT_MAX_CHARTS));
            out.println("report: " + outcome.html().toAbsolutePath());
        } catch (RuntimeException e) {
            err.println("report not rendered (" + e.getMessage() + "); the results above are complete: render them with "
                    + "'inferlab report --input " + result + " --out DIR'");
        }
    }

    /** Every available provider of the requested acceleration types; the rest are logged with their reason. */
    private List<BenchTarget> targets(HardwareProfile hardware, PrintWriter err) {
        Set<AccelerationType> wanted = EnumSet.noneOf(AccelerationType.class);
        if (accelerations == null) {
            wanted.addAll(EnumSet.allOf(AccelerationType.class));
        } else {
            for (String a : accelerations) {
                try {
                    wanted.add(AccelerationType.valueOf(a.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown acceleration type '" + a + "' (known: CPU, OPENCL, CUDA, MXFP4, METAL)");
                }
            }
        }
        List<BenchTarget> targets = new ArrayList<>();
        for (AccelerationStatus status : hardware.accelerations()) {
            if (!wanted.contains(status.acceleration())) {
                continue;
            }
            if (status.providers().isEmpty()) {
                err.println("skipping " + status.acceleration() + ": " + status.reason());
            }
            for (ProviderStatus p : status.providers()) {
                if (p.available()) {
                    targets.add(new BenchTarget(status.acceleration(), p.id()));
                } else {
                    err.println("skipping " + status.acceleration() + "/" + p.id() + ": " + p.reason());
                }
            }
        }
        return targets;
    }
}
