package io.inferlab.jmh.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import io.inferlab.jmh.DecodeBench;
import io.inferlab.jmh.InferenceMetricsProfiler;
import io.inferlab.jmh.MatvecBench;
import io.inferlab.jmh.MatvecTarget;
import io.inferlab.jmh.PrefillBench;
import io.inferlab.jmh.SuiteBench;

/**
 * Runs a {@link BenchPlan} through JMH's API: for each target, prefill, decode and suite
 * benchmarks in forked JVMs (the benchmark classes carry the JVM flags the forks need), with the
 * InferLab metrics profiler and JMH's GC profiler; then writes one JMH JSON for all targets
 * atomically. Targets run one after another, so each gets the whole machine.
 */
public final class BenchRunner {
    public static final String RESULT_FILE = "jmh-result.json";

    private final PrintStream progress;

    public BenchRunner(PrintStream progress) {
        this.progress = progress;
    }

    /** Runs the plan; returns the JMH JSON file written into {@code plan.outDir()}. */
    public Path run(BenchPlan plan) throws IOException {
        List<RunResult> all = new ArrayList<>();
        for (BenchTarget target : plan.targets()) {
            progress.println("== " + target + ": pp" + plan.promptTokens() + ", tg" + plan.genTokens() + ", suites "
                    + String.join(",", plan.suites()) + " (" + plan.profile().name().toLowerCase() + ")");
            all.addAll(runJmh(plan, target, steadyState(plan, target)));
            if (!plan.suites().isEmpty()) {
                all.addAll(runJmh(plan, target, suites(plan, target)));
            }
        }
        if (plan.matvec()) {
            // The kernels of the backends this run measures (those detection found available).
            String[] backends = plan.targets().stream().map(BenchTarget::backend)
                    .filter(MatvecTarget.BACKENDS::contains).distinct().toArray(String[]::new);
            ChainedOptionsBuilder mv = new OptionsBuilder().include(MatvecBench.class.getName())
                    .param("backend", backends.length > 0 ? backends : new String[] {"cpu"})
                    .forks(plan.profile().forks)
                    .warmupIterations(plan.profile().warmupIterations)
                    .measurementIterations(plan.profile().measurementIterations);
            all.addAll(runJmh(plan, null, mv));
        }
        Files.createDirectories(plan.outDir());
        Path out = plan.outDir().resolve(RESULT_FILE);
        Path tmp = Files.createTempFile(plan.outDir(), "." + RESULT_FILE, ".tmp");
        try (PrintStream ps = new PrintStream(Files.newOutputStream(tmp), false, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(all);
        }
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return out;
    }

    private ChainedOptionsBuilder steadyState(BenchPlan plan, BenchTarget target) {
        BenchProfile p = plan.profile();
        return common(plan, target)
                .include(PrefillBench.class.getName())
                .include(DecodeBench.class.getName())
                .param("promptTokens", Integer.toString(plan.promptTokens()))
                .param("genTokens", Integer.toString(plan.genTokens()))
                .warmupIterations(p.warmupIterations)
                .warmupTime(TimeValue.seconds(p.warmupSeconds))
                .measurementIterations(p.measurementIterations)
                .measurementTime(TimeValue.seconds(p.measurementSeconds));
    }

    private ChainedOptionsBuilder suites(BenchPlan plan, BenchTarget target) {
        BenchProfile p = plan.profile();
        return common(plan, target)
                .include(SuiteBench.class.getName())
                .param("suite", plan.suites().toArray(String[]::new))
                .warmupIterations(p.suiteWarmupPasses)
                .measurementIterations(p.suiteMeasuredPasses);
    }

    private static ChainedOptionsBuilder common(BenchPlan plan, BenchTarget target) {
        return new OptionsBuilder()
                .forks(plan.profile().forks)
                .param("acceleration", target.acceleration().name())
                .param("backend", target.backend())
                .param("model", plan.model())
                .param("type", plan.type())
                .addProfiler(InferenceMetricsProfiler.class)
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(false);
    }

    private Collection<RunResult> runJmh(BenchPlan plan, BenchTarget target, ChainedOptionsBuilder options) {
        try {
            return new Runner(options.verbosity(VerboseMode.NORMAL).build(),
                    OutputFormatFactory.createFormatInstance(progress, VerboseMode.NORMAL)).run();
        } catch (RunnerException e) {
            // One target failing (a backend that dies in its fork) must not lose the others' results.
            progress.println("!! " + (target == null ? "matvec" : target) + " failed: " + e.getMessage());
            return List.of();
        }
    }
}
