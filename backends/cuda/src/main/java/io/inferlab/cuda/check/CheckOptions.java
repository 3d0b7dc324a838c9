package io.inferlab.cuda.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.inferlab.datasets.models.ModelPreset;
import io.inferlab.engine.tensor.GgmlType;

/**
 * The GPU check's command line (no picocli here: the check must run from the bare runnable jar
 * with nothing else, and its few options do not warrant more).
 *
 * @param models      folder with stories260K.gguf (and optionally its quantized copies)
 * @param out         folder for report.md and report.json
 * @param benchPresets synthetic model shapes to benchmark ("110m", "1b"), empty to skip
 * @param benchTypes  weight types to benchmark
 * @param cpuBaseline whether to benchmark the cpu backend too (on the first preset), for the speed ratio
 * @param gptOssBench whether to benchmark MXFP4 decode on a generated ~1B gpt-oss model
 */
public record CheckOptions(Path models, Path out, List<ModelPreset> benchPresets, List<GgmlType> benchTypes,
                           boolean cpuBaseline, boolean gptOssBench) {
    public static final String USAGE = """
            usage: CudaCheck --models DIR --out DIR [--bench PRESETS|none] [--bench-types TYPES] [--no-cpu-baseline]
                      [--no-gpt-oss-bench]
              --models DIR       folder holding stories260K.gguf (copy ../shared/models/stories260K*.gguf there;
                                 tiny-gpt-oss.gguf and its reference JSON are checked too when present)
              --out DIR          where report.md and report.json are written (created if absent)
              --bench PRESETS    comma-separated synthetic presets to benchmark (default 110m,1b; known: tiny, 110m,
                                 1b, llama3-1b), or none
              --bench-types T    comma-separated weight types to benchmark (default Q8_0,Q4_0)
              --no-cpu-baseline  benchmark only the cuda backend (else cpu runs on the first preset too)
              --no-gpt-oss-bench skip the MXFP4 decode benchmark on a generated ~1B gpt-oss model""";

    public CheckOptions {
        benchPresets = List.copyOf(benchPresets);
        benchTypes = List.copyOf(benchTypes);
    }

    /** @throws IllegalArgumentException with a message and the usage for a bad command line */
    public static CheckOptions parse(String... args) {
        Path models = null;
        Path out = null;
        List<ModelPreset> presets = List.of(ModelPreset.SMALL, ModelPreset.TINYLLAMA_1B);
        List<GgmlType> types = List.of(GgmlType.Q8_0, GgmlType.Q4_0);
        boolean cpu = true;
        boolean gptOss = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--models" -> models = Path.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--bench" -> presets = presets(value(args, ++i, a));
                case "--bench-types" -> types = types(value(args, ++i, a));
                case "--no-cpu-baseline" -> cpu = false;
                case "--no-gpt-oss-bench" -> gptOss = false;
                default -> throw usage("unknown option '" + a + "'");
            }
        }
        if (models == null || out == null) {
            throw usage("--models and --out are required");
        }
        return new CheckOptions(models, out, presets, types, cpu, gptOss);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw usage(option + " needs a value");
        }
        return args[i];
    }

    private static List<ModelPreset> presets(String s) {
        if (s.equalsIgnoreCase("none")) {
            return List.of();
        }
        List<ModelPreset> list = new ArrayList<>();
        for (String name : s.split(",")) {
            try {
                list.add(ModelPreset.byName(name.strip()));
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        return list;
    }

    private static List<GgmlType> types(String s) {
        List<GgmlType> list = new ArrayList<>();
        for (String name : s.split(",")) {
            try {
                GgmlType t = GgmlType.valueOf(name.strip().toUpperCase(Locale.ROOT));
                if (t == GgmlType.MXFP4 || t == GgmlType.BF16) {
                    throw usage("synthetic llama models come in F32, F16, Q8_0 or Q4_0, not " + t);
                }
                list.add(t);
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().contains("usage:")) {
                    throw e;
                }
                throw usage("unknown weight type '" + name + "' (known: F32, F16, Q8_0, Q4_0)");
            }
        }
        return list;
    }

    static IllegalArgumentException usage(String message) {
        return new IllegalArgumentException(message + "\n" + USAGE);
    }
}
