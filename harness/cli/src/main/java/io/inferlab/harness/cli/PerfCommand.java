package io.inferlab.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.harness.backends.Backends;
import io.inferlab.harness.bench.BenchResult;
import io.inferlab.harness.bench.LlamaBench;
import io.inferlab.harness.bench.MemoryBandwidth;
import io.inferlab.jmh.ModelResolver;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inferlab perf}: llama-bench's pp/tg tests on one model and one or more backends, with
 * the decode roofline of this machine (measured read bandwidth / weight bytes per token).
 */
@Command(name = "perf", mixinStandardHelpOptions = true,
        description = "Prefill (ppN) and decode (tgN) tokens/s, llama-bench style, against the memory-bandwidth roofline.")
final class PerfCommand implements Callable<Integer> {

    static final class ModelChoice {
        @Option(names = {"-m", "--model"}, description = "GGUF model file, or a preset name as --preset.")
        String model;

        @Option(names = "--preset", description = "Synthetic model preset (tiny, 110m, 1b, llama3-1b, gpt-oss-tiny, gpt-oss-1b), generated and cached on first use.")
        String preset;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ModelChoice modelChoice;

    @Option(names = "--type", defaultValue = "q8_0", description = "Tensor type of a preset model (default: ${DEFAULT-VALUE}); gpt-oss experts stay MXFP4.")
    String type;

    @Option(names = {"-b", "--backends"}, split = ",", defaultValue = "cpu", description = "Backends to compare, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> backends;

    @Option(names = {"-t", "--threads"}, split = ",", defaultValue = "0",
            description = "Compute threads, comma-separated for several runs (0 = all cores; default: ${DEFAULT-VALUE}).")
    List<Integer> threadCounts;

    @Option(names = "--mmap", description = "Read the weights in place from the mapped model file instead of copying them "
            + "into memory first (llama-bench's -mmp 1; the cpu and llamacpp backends).")
    boolean mmap;

    @Option(names = {"-p", "--n-prompt"}, split = ",", defaultValue = "128",
            description = "Prompt tokens of the pp tests, comma-separated; 0 skips pp (default: ${DEFAULT-VALUE}).")
    List<Integer> promptSizes;

    @Option(names = {"-n", "--n-gen"}, split = ",", defaultValue = "64",
            description = "Generated tokens of the tg tests, comma-separated; 0 skips tg (default: ${DEFAULT-VALUE}).")
    List<Integer> genSizes;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "3", description = "Repetitions of each test (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--interleave", description = "Take the backends' repetitions in turns (repetition 1 of each, then 2 "
            + "of each, ...) instead of one backend after the other, so that a shared machine's drift falls on all of "
            + "them alike; holds every backend's model in memory at once.")
    boolean interleave;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** The probe's buffer: 32 times this machine's 32 MiB L3, kept for the whole run (touching it costs seconds). */
    private static final long PROBE_BYTES = 1L << 30;
    private static final int PROBE_PASSES = 3;
    /** Untimed runs of the test sizes before the timed ones (see {@link #warmedUp}). */
    private static final int WARMUP_RUNS = 3;

    @Override
    public Integer call() throws Exception {
        if (Stream.of(promptSizes, genSizes, threadCounts).flatMap(List::stream).anyMatch(v -> v < 0) || repetitions < 1) {
            throw new IllegalArgumentException("-p, -n and --threads must be >= 0, -r >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Backends available = Backends.discover();
        backends.forEach(available::byId); // a misspelled id fails now, not after the backends before it have run
        Path model = resolveModel(err);
        List<Integer> pp = promptSizes.stream().filter(v -> v > 0).distinct().toList();
        List<Integer> tg = genSizes.stream().filter(v -> v > 0).distinct().toList();
        if (pp.isEmpty() && tg.isEmpty()) {
            throw new IllegalArgumentException("-p and -n are both 0: no test to run");
        }
        int context = Math.max(largest(pp), largest(tg) + 1) + 1;
        List<BenchResult> results = new ArrayList<>();
        for (int threads : threadCounts) {
            BackendOptions options = BackendOptions.defaults().withThreads(threads).withMmap(mmap).withContextLength(context);
            results.addAll(run(available, model, options, pp, tg, err));
        }
        if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
        } else {
            printTable(out, results);
        }
        return 0;
    }

    /** Every test on every backend with one thread count, against a bandwidth probe with as many threads. */
    private List<BenchResult> run(Backends available, Path model, BackendOptions options, List<Integer> pp,
                                  List<Integer> tg, PrintWriter err) {
        err.println("measuring memory read bandwidth...");
        List<BenchResult> results = new ArrayList<>();
        try (MemoryBandwidth probe = MemoryBandwidth.allocate(options.effectiveThreads(), PROBE_BYTES)) {
            err.printf("read bandwidth: %.1f GB/s with %d threads%n", probe.measure(PROBE_PASSES) / 1e9,
                    options.effectiveThreads());
            DoubleSupplier bandwidth = () -> probe.measure(PROBE_PASSES);
            // Interleaved, all backends are one group; else each is a group of its own.
            for (List<String> group : interleave ? List.of(backends) : backends.stream().map(List::of).toList()) {
                try (OpenBackends open = new OpenBackends()) {
                    List<LlamaBench> benches = new ArrayList<>();
                    for (String id : group) {
                        InferenceBackend backend = open.add(available.open(id, ModelSource.gguf(model), options));
                        benches.add(warmedUp(backend, options, pp, err));
                    }
                    results.addAll(LlamaBench.run(benches, pp, tg, repetitions, bandwidth));
                }
            }
        }
        return results;
    }

    /**
     * A bench on {@code backend}, warmed up with every pp test's prompt size, {@link #WARMUP_RUNS}
     * times, so that every batched kernel the tests reach is compiled before they are timed: after
     * one 16-token run the first pp64 repetitions of gpt-oss-1b (whose experts see a few tokens
     * each at 16) ran at 102 and 224 tokens/s, the next at about 330; after one pp64 run the first
     * still ran at 186-257. The largest size alone was not enough: which kernels a prompt reaches
     * depends on its remainder after whole 64-token panels (pp80 after a warm-up at 128 alone: 110
     * and 119 tokens/s, with standard deviations of 31 and 17 over three repetitions, the first
     * of each the slow one; 2026-11-27).
     * Decode is warmed up even for a pp-only run: each prefill ends with one matvec (the logits).
     */
    private static LlamaBench warmedUp(InferenceBackend backend, BackendOptions options, List<Integer> promptSizes,
                                       PrintWriter err) {
        err.printf("%s: %s, %s%n", backend.id(), backend.model().path().getFileName(), backend.computeMode());
        err.flush();
        LlamaBench bench = new LlamaBench(backend, options.effectiveThreads());
        List<Integer> sizes = promptSizes.stream().distinct().toList();
        for (int i = 0; i < WARMUP_RUNS; i++) {
            for (int size : sizes.isEmpty() ? List.of(0) : sizes) {
                bench.warmUp(size, 8);
            }
        }
        return bench;
    }

    /** The largest size, 0 for none. */
    private static int largest(List<Integer> sizes) {
        return sizes.stream().max(Integer::compare).orElse(0);
    }

    /** Backends open at the same time, closed together: the first failure thrown, the others suppressed. */
    private static final class OpenBackends implements AutoCloseable {
        private final List<InferenceBackend> open = new ArrayList<>();

        InferenceBackend add(InferenceBackend backend) {
            open.add(backend);
            return backend;
        }

        @Override
        public void close() {
            RuntimeException failure = null;
            for (InferenceBackend b : open.reversed()) {
                try {
                    b.close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** A file, or a preset (llama or gpt-oss) resolved as the benchmarks do; {@code tiny} when none is given. */
    private Path resolveModel(PrintWriter err) {
        String name = modelChoice == null ? "tiny" : modelChoice.model != null ? modelChoice.model : modelChoice.preset;
        return ModelResolver.resolve(name, type, message -> {
            err.println(message);
            err.flush();
        });
    }

    private static void printTable(PrintWriter out, List<BenchResult> results) {
        out.printf("| %-28s | %-8s | %7s | %-6s | %14s | %9s | %6s |%n", "model", "backend", "threads", "test", "t/s",
                "roofline", "eff.");
        out.printf("|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(30), "-".repeat(10), "-".repeat(9), "-".repeat(8),
                "-".repeat(16), "-".repeat(11), "-".repeat(8));
        DoubleSummaryStatistics bandwidth = new DoubleSummaryStatistics();
        for (BenchResult r : results) {
            boolean tg = r.rooflineTokensPerSecond() > 0;
            out.printf("| %-28s | %-8s | %7d | %-6s | %7.2f ± %4.2f | %9s | %6s |%n", r.model(), r.backend(), r.threads(),
                    r.test(), r.tokensPerSecondMean(), r.tokensPerSecondStdev(),
                    tg ? "%.2f".formatted(r.rooflineTokensPerSecond()) : "-",
                    tg ? "%.0f%%".formatted(100 * r.rooflineEfficiency()) : "-");
            if (tg) {
                Arrays.stream(r.bandwidthSamples()).forEach(bandwidth);
            }
        }
        if (bandwidth.getCount() > 0) {
            out.printf("roofline = read bandwidth measured around each tg repetition (%.1f-%.1f GB/s) / weight bytes read per"
                    + " decoded token; eff. = mean of each repetition's t/s over its own roofline%n",
                    bandwidth.getMin() / 1e9, bandwidth.getMax() / 1e9);
        }
    }
}
