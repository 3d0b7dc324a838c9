package io.inferlab.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.inferlab.datasets.models.ModelCache;
import io.inferlab.datasets.models.ModelPreset;
import io.inferlab.engine.tensor.GgmlType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inferlab models}: synthetic benchmark models (presets) and the model cache. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "Generate and list synthetic benchmark models.",
        subcommands = {ModelsCommand.Generate.class, ModelsCommand.ListModels.class})
final class ModelsCommand {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate a synthetic llama model (deterministic random weights) into the cache or --out.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--preset", required = true, description = "Preset: tiny, 110m, 1b, llama3-1b.")
        String preset;

        @Option(names = "--type", defaultValue = "q8_0", description = "Tensor type: f32, f16, bf16, q8_0, q4_0 (default: ${DEFAULT-VALUE}).")
        String type;

        @Option(names = "--out", description = "Output file (default: the model cache).")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ModelPreset p = ModelPreset.byName(preset);
            GgmlType t = ModelPreset.tensorType(type);
            Path path = out != null ? ModelCache.generate(p, t, out) : ModelCache.standard().getOrGenerate(p, t);
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
            out.printf("%-10s %-40s %8s  %s%n", "preset", "shape", "params", "cached (" + cache.dir() + ")");
            for (ModelPreset p : ModelPreset.ALL) {
                StringBuilder cached = new StringBuilder();
                for (GgmlType t : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0}) {
                    Path f = cache.pathOf(p, t);
                    if (Files.isRegularFile(f)) {
                        cached.append(t.name().toLowerCase(Locale.ROOT)).append(" (")
                                .append(Files.size(f) >> 20).append(" MiB) ");
                    }
                }
                out.printf("%-10s %-40s %7.0fM  %s%n", p.name(), p.description(), p.parameterCount() / 1e6,
                        cached.isEmpty() ? "-" : cached.toString().trim());
            }
            return 0;
        }
    }
}
