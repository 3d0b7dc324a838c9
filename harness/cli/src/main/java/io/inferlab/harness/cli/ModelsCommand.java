package io.inferlab.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.api.AccelerationType;
import io.inferlab.datasets.models.MemoryPlan;
import io.inferlab.datasets.models.ModelCache;
import io.inferlab.datasets.models.ModelPreset;
import io.inferlab.datasets.models.SyntheticPreset;
import io.inferlab.datasets.models.SyntheticPresets;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.harness.detect.AccelerationStatus;
import io.inferlab.harness.detect.Device;
import io.inferlab.harness.detect.HardwareDetector;
import io.inferlab.harness.detect.HardwareProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inferlab models}: synthetic benchmark models (presets), the model cache and memory plans. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Generate, list and plan synthetic benchmark models (llama and gpt-oss presets).",
        subcommands = {ModelsCommand.Generate.class, ModelsCommand.ListModels.class, ModelsCommand.Plan.class})
final class ModelsCommand {

    static final String TYPE_HELP = "Tensor type: f32, f16, bf16, q8_0, q4_0 (default: ${DEFAULT-VALUE}). "
            + "gpt-oss experts are always MXFP4; the type sets their other matrices.";

    static double gib(long bytes) {
        return bytes / (double) (1L << 30);
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate a synthetic model (deterministic random weights) into the cache or --out.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--preset", required = true,
                description = "Preset: tiny, 110m, 1b, llama3-1b, gpt-oss-tiny, gpt-oss-1b, gpt-oss-20b (see `models list`).")
        String preset;

        @Option(names = "--type", defaultValue = "q8_0", description = TYPE_HELP)
        String type;

        @Option(names = "--out", description = "Output file (default: the model cache).")
        Path out;

        @Option(names = "--force", description = "Also write a memory-planning shape (gpt-oss-20b: about 12 GB).")
        boolean force;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            SyntheticPreset p = SyntheticPresets.byName(preset);
            GgmlType t = ModelPreset.tensorType(type);
            Path path;
            if (out != null) {
                ModelCache.requireWritable(p, t, force);
                path = ModelCache.generate(p, t, out);
            } else {
                path = ModelCache.standard().getOrGenerate(p, t, force);
            }
            spec.commandLine().getOut().println(path.toAbsolutePath());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List presets and cached models.")
    static final class ListModels implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            ModelCache cache = ModelCache.standard();
            out.printf("%-12s %-8s %-68s %9s %13s  %s%n", "preset", "arch", "shape", "params", "q8_0 weights",
                    "cached (" + cache.dir() + ")");
            for (SyntheticPreset p : SyntheticPresets.ALL) {
                StringBuilder cached = new StringBuilder();
                for (GgmlType t : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0}) {
                    Path f = cache.pathOf(p, t);
                    if (Files.isRegularFile(f)) {
                        cached.append(t.name().toLowerCase(Locale.ROOT)).append(" (")
                                .append(Files.size(f) >> 20).append(" MiB) ");
                    }
                }
                String size = "%.2f GiB".formatted(gib(p.plan(GgmlType.Q8_0).weightBytes()));
                out.printf(Locale.ROOT, "%-12s %-8s %-68s %8.0fM %13s  %s%n", p.name(), p.architecture(),
                        p.description() + (p.planOnly() ? " [plan only]" : ""), p.parameterCount() / 1e6, size,
                        cached.isEmpty() ? "-" : cached.toString().trim());
            }
            return 0;
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Dry run: a preset's weight bytes, bytes read per decoded token, KV cache and which detected devices it fits, without writing it.")
    static final class Plan implements Callable<Integer> {
        @Option(names = "--preset", required = true, description = "Preset (see `models list`), e.g. gpt-oss-20b.")
        String preset;

        @Option(names = "--type", defaultValue = "q8_0", description = TYPE_HELP)
        String type;

        @Option(names = "--context", defaultValue = "4096", description = "Context positions of the KV cache to fit (default: ${DEFAULT-VALUE}).")
        int context;

        @Option(names = "--json", description = "Print the plan as JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        /** One memory a model could live in, and whether it fits there. */
        record Fit(String device, String kind, long memoryBytes, boolean fits) {
        }

        @Override
        public Integer call() throws Exception {
            if (context < 1) {
                throw new IllegalArgumentException("--context must be >= 1, got " + context);
            }
            SyntheticPreset p = SyntheticPresets.byName(preset);
            MemoryPlan plan = p.plan(ModelPreset.tensorType(type));
            List<Fit> fits = fits(plan, HardwareDetector.detect(), context);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("plan", plan);
                o.put("context", context);
                o.put("requiredBytes", plan.requiredBytes(context));
                o.put("devices", fits);
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
            } else {
                print(out, p, plan, context, fits);
            }
            return 0;
        }

        /**
         * The host's memory (weights are memory-mapped, the KV cache is on the heap: both in RAM)
         * and every device an available backend reported with its memory (one row per device name).
         */
        static List<Fit> fits(MemoryPlan plan, HardwareProfile profile, int context) {
            List<Fit> fits = new ArrayList<>();
            long ram = profile.host().memory().totalBytes();
            fits.add(new Fit("host RAM (" + profile.host().cpu().model() + ")", "CPU", ram, plan.fits(ram, context)));
            List<String> seen = new ArrayList<>();
            for (AccelerationStatus a : profile.accelerations()) {
                if (!a.available() || a.acceleration() == AccelerationType.CPU) {
                    continue;
                }
                for (Device d : a.devices()) {
                    if (d.memoryBytes() > 0 && !seen.contains(d.name())) {
                        seen.add(d.name());
                        fits.add(new Fit(d.name(), a.acceleration().name(), d.memoryBytes(),
                                plan.fits(d.memoryBytes(), context)));
                    }
                }
            }
            return fits;
        }

        static void print(PrintWriter out, SyntheticPreset p, MemoryPlan plan, int context, List<Fit> fits) {
            out.printf(Locale.ROOT, "%s (%s), %s%n", p.name(), p.description(), plan.type());
            out.printf(Locale.ROOT, "parameters         %,d%n", plan.parameters());
            out.printf(Locale.ROOT, "weights            %,d bytes (%.2f GiB) of tensor data%n", plan.weightBytes(),
                    gib(plan.weightBytes()));
            out.printf(Locale.ROOT, "read per token     %,d bytes (%.1f MiB): dense matrices, %s, one embedding row%n",
                    plan.bytesPerToken(), plan.bytesPerToken() / (double) (1 << 20),
                    "gpt-oss".equals(p.architecture()) ? "active experts only" : "every layer");
            out.printf(Locale.ROOT, "decode roofline    %.1f tokens/s per 10 GB/s of read bandwidth%n",
                    plan.rooflineTokensPerSecond(10e9));
            out.printf(Locale.ROOT, "KV cache / 1k ctx  %.1f MiB (our engine: F32, every layer); %.1f MiB (llama.cpp: F16%s)%n",
                    plan.kvBytes(1024) / (double) (1 << 20), plan.kvBytesPer1kCompact() / (double) (1 << 20),
                    "gpt-oss".equals(p.architecture()) ? ", sliding-window layers keep their window" : "");
            out.printf(Locale.ROOT, "%-19s%.2f GiB (weights + our KV cache)%n", "needs at " + context + " ctx",
                    gib(plan.requiredBytes(context)));
            out.println();
            out.printf("%-48s %-7s %10s  %s%n", "device", "kind", "memory", "fits");
            for (Fit f : fits) {
                out.printf(Locale.ROOT, "%-48s %-7s %6.1f GiB  %s%n", f.device(), f.kind(), gib(f.memoryBytes()),
                        f.fits() ? "yes" : "no (short by %.2f GiB)".formatted(gib(plan.requiredBytes(context) - f.memoryBytes())));
            }
        }
    }
}
