package io.inferlab.cuda.check;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ProbeResult;
import io.inferlab.cuda.CudaBackendProvider;
import io.inferlab.cuda.CudaDevice;
import io.inferlab.cuda.CudaDiscovery;
import io.inferlab.cuda.CudaProbe;
import io.inferlab.cuda.Mxfp4BackendProvider;
import io.inferlab.cuda.Mxfp4Rule;
import io.inferlab.cuda.runtime.CudaContext;
import io.inferlab.cuda.runtime.CudaGptOssForwardPass;
import io.inferlab.cuda.runtime.CudaLlamaForwardPass;
import io.inferlab.datasets.models.ModelPreset;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.model.GptOssModel;
import io.inferlab.engine.model.LlamaModel;
import io.inferlab.engine.model.Model;
import io.inferlab.engine.model.Models;
import io.inferlab.engine.runtime.DeviceForwardPass;
import io.inferlab.engine.runtime.EngineBackend;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tokenizer.Tokenizer;

/**
 * The GPU check, run from the runnable jar on a host with an NVIDIA GPU (no Maven, no JUnit):
 * <ol>
 *   <li>detection: the device, its compute capability, memory, SMs, driver, the MXFP4 verdict;</li>
 *   <li>conformance: every kernel against the scalar reference ({@link KernelConformance}); the
 *       logits of the cuda backend against the scalar oracle at every position of a 64-token
 *       sequence on small random llama models in F32, F16, Q8_0 and Q4_0 (and on the stories260K
 *       files when present); greedy generation on stories260K.gguf equal to the reference text,
 *       through the engine's loop and with the argmax on the device; device memory freed on close;</li>
 *   <li>gpt-oss: the mixture-of-experts kernels against the scalar reference (in the kernel step),
 *       the device pass's logits against the cpu backend at every position of 64 tokens on generated
 *       gpt-oss models (MXFP4 experts; F32 dense with a separate output on {@code cuda}, Q8_0 dense
 *       with a tied output on {@code cuda-mxfp4}), greedy tokens equal to cpu's, allocations equal to
 *       the memory plan and freed on close, and tiny-gpt-oss.gguf against its float64 reference
 *       logits when --models holds it;</li>
 *   <li>prefill in full batches: the logits at every position of 300 tokens (one 256-token batch
 *       and a remainder) on a Q4_0 llama model against the oracle and on a gpt-oss model against cpu;</li>
 *   <li>a short benchmark: pp128 and tg64 on generated synthetic models, cuda and (for the ratio)
 *       cpu on the same host, with the fraction of the GPU's memory bandwidth reached; and MXFP4
 *       decode on a generated ~1B gpt-oss model (bytes per token: the active experts only);</li>
 *   <li>report.md and report.json in --out; exit status 0 when every check passed, 1 when one
 *       failed or there is no CUDA device, 2 for a bad command line.</li>
 * </ol>
 */
public final class CudaCheck {
    private static final int SEQUENCE = 64;
    /** One full batch of the engine's prefill ({@link EngineBackend#DEFAULT_MAX_BATCH}) and a remainder. */
    private static final int LONG_SEQUENCE = EngineBackend.DEFAULT_MAX_BATCH + 44;
    private static final int CONTEXT = 512;

    private final CheckOptions options;
    private final PrintStream log;
    private final List<CheckResult> results = new ArrayList<>();
    private final List<BenchRow> bench = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    CudaCheck(CheckOptions options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    public static void main(String[] args) {
        CheckOptions options;
        try {
            options = CheckOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int status;
        try {
            status = new CudaCheck(options, System.out).run().passed() ? 0 : 1;
        } catch (RuntimeException e) {
            System.err.println("CUDA check failed: " + e);
            status = 1;
        }
        System.exit(status);
    }

    /** Runs everything, writes the report, and returns it. */
    CheckReport run() {
        long start = System.nanoTime();
        CudaDiscovery discovery = CudaProbe.discover();
        DeviceSummary device = null;
        String unavailable = "";
        switch (discovery) {
            case CudaDiscovery.Failed f -> {
                unavailable = f.reason();
                log.println("CUDA: unavailable: " + unavailable);
            }
            case CudaDiscovery.Found found -> {
                CudaDevice d = found.devices().getFirst();
                ProbeResult mx = Mxfp4Rule.verdict(found);
                String verdict = mx instanceof ProbeResult.Available ? "available (" + Mxfp4Rule.RULE + ")"
                        : "unavailable: " + ((ProbeResult.Unavailable) mx).reason();
                device = DeviceSummary.of(found, d, verdict);
                log.println("CUDA: " + found.devices().size() + " device(s); checking device 0");
                log.println("  " + device.oneLine());
                runOnDevice(d, device);
            }
        }
        CheckReport report = new CheckReport(OffsetDateTime.now(ZoneOffset.UTC).toString(), host(), device,
                unavailable, results, bench, notes, (System.nanoTime() - start) / 1e9);
        report.write(options.out());
        log.printf(Locale.ROOT, "%s: %d checks, %d failed; report in %s%n", report.passed() ? "PASS" : "FAIL",
                results.size(), report.failures(), options.out().toAbsolutePath());
        return report;
    }

    private void runOnDevice(CudaDevice d, DeviceSummary summary) {
        step("kernels vs the scalar reference", () -> kernels(d));
        Path tmp = tempDir();
        try {
            step("cross-backend logits on random llama models", () -> randomModels(tmp));
            step("stories260K", this::stories);
            step("device memory freed on close", () -> memoryFreed(d, tmp));
            step("gpt-oss on the device", () -> gptOss(d, tmp));
            step(LONG_SEQUENCE + " tokens: a full " + EngineBackend.DEFAULT_MAX_BATCH + "-token batch and a remainder",
                    () -> fullBatch(tmp));
            if (!options.benchPresets().isEmpty()) {
                step("benchmark", () -> benchmark(tmp, summary));
            }
            if (options.gptOssBench()) {
                step("gpt-oss MXFP4 decode benchmark", () -> gptOssBenchmark(tmp, summary));
            }
        } finally {
            deleteTree(tmp);
        }
    }

    private void step(String name, Runnable r) {
        long t0 = System.nanoTime();
        int before = results.size();
        log.println("== " + name);
        try {
            r.run();
        } catch (RuntimeException e) {
            results.add(CheckResult.crashed("step", name, e));
        }
        long failed = results.subList(before, results.size()).stream().filter(c -> !c.passed()).count();
        results.subList(before, results.size()).stream().filter(c -> !c.passed())
                .forEach(c -> log.println("  FAIL " + c.group() + " " + c.name() + ": " + c.detail()));
        log.printf(Locale.ROOT, "   %d checks, %d failed (%.1f s)%n", results.size() - before, failed,
                (System.nanoTime() - t0) / 1e9);
    }

    private void kernels(CudaDevice d) {
        try (CudaContext cx = CudaContext.open(d)) {
            results.addAll(new KernelConformance(cx).runAll());
        }
    }

    private void randomModels(Path tmp) {
        for (GgmlType type : CheckModels.TYPES) {
            Path model = CheckModels.generate(CheckModels.CONFORMANCE, type, tmp);
            results.add(compareWithOracle("random llama " + type + " (" + CheckModels.CONFORMANCE.description() + ")",
                    model, SEQUENCE));
        }
    }

    /**
     * Prefill in the engine's largest batch: the logits at every position of a sequence longer than
     * one batch, so each kernel runs with a full batch of rows and again with a remainder.
     */
    private void fullBatch(Path tmp) {
        Path llama = CheckModels.generate(CheckModels.CONFORMANCE, GgmlType.Q4_0, tmp);
        results.add(compareWithOracle("random llama Q4_0, " + LONG_SEQUENCE + " tokens", llama, LONG_SEQUENCE));
        GptOssVariant v = new GptOssVariant(GgmlType.Q8_0, true, Mxfp4BackendProvider.ID);
        results.add(gptOssVsCpu(v, GptOssCheckModels.conformance(v.dense(), v.tied(), tmp), LONG_SEQUENCE));
    }

    /** The cuda backend's logits against the scalar oracle at every position of {@code n} tokens. */
    private CheckResult compareWithOracle(String name, Path model, int n) {
        try (InferenceBackend oracle = scalar(model); InferenceBackend cuda = cuda(model)) {
            int[] tokens = LogitsConformance.tokens(n, oracle.model().vocabularySize(), 1234);
            return LogitsConformance.compare(name, oracle, cuda, tokens);
        } catch (RuntimeException e) {
            return CheckResult.crashed("logits", name, e);
        }
    }

    private void stories() {
        Path f32 = options.models().resolve(ReferenceText.STORIES_F32);
        if (!Files.isRegularFile(f32)) {
            results.add(new CheckResult("greedy", "stories260K reference text", false, Double.NaN, Double.NaN,
                    f32.toAbsolutePath() + " is absent: copy ../shared/models/stories260K*.gguf into --models"));
            return;
        }
        for (String name : List.of(ReferenceText.STORIES_F32, ReferenceText.STORIES_Q8_0, ReferenceText.STORIES_Q4_0)) {
            Path p = options.models().resolve(name);
            if (Files.isRegularFile(p)) {
                results.add(compareWithOracle(name, p, SEQUENCE));
            } else {
                notes.add(name + " absent from " + options.models() + ": its logits check was skipped");
            }
        }
        for (String name : List.of(ReferenceText.STORIES_F32, ReferenceText.STORIES_Q8_0)) {
            Path p = options.models().resolve(name);
            if (Files.isRegularFile(p)) {
                results.add(greedy(name, p));
                results.add(greedyDeviceArgmax(name, p));
            }
        }
    }

    private CheckResult greedy(String name, Path model) {
        String check = "greedy " + name + " (engine loop, logits to host)";
        try (InferenceBackend cuda = cuda(model)) {
            GenerationResult r = cuda.generate(GenerationRequest.greedy(ReferenceText.PROMPT, ReferenceText.MAX_TOKENS),
                    (t, p) -> { });
            String text = ReferenceText.PROMPT + r.text();
            return textResult(check, text, r.computeMode());
        } catch (RuntimeException e) {
            return CheckResult.crashed("greedy", check, e);
        }
    }

    /** Greedy decoding with the argmax on the device: only token ids cross the bus. */
    private CheckResult greedyDeviceArgmax(String name, Path model) {
        String check = "greedy " + name + " (argmax on the device)";
        CudaDevice d = ((CudaDiscovery.Found) CudaProbe.discover()).devices().getFirst();
        try (GgufFile file = GgufFile.open(model)) {
            LlamaModel llama = LlamaModel.load(file);
            try (CudaLlamaForwardPass pass = CudaLlamaForwardPass.open(CudaContext.open(d), llama,
                    Math.min(256, llama.contextLength()), 64)) {
                Tokenizer tok = llama.tokenizer();
                Tokenizer.StreamingDecoder decoder = tok.streamingDecoder();
                int[] prompt = llama.encodePrompt(ReferenceText.PROMPT);
                int[] seq = Arrays.copyOf(prompt, prompt.length + ReferenceText.MAX_TOKENS);
                StringBuilder text = new StringBuilder(ReferenceText.PROMPT);
                // As the engine's generation loop: prefill, then one token per step until EOS or the limit.
                int next = pass.forwardArgmax(seq, 0, prompt.length, 0);
                for (int n = prompt.length; n < seq.length; n++) {
                    if (llama.isEndOfGeneration(next)) {
                        break;
                    }
                    seq[n] = next;
                    text.append(decoder.next(next));
                    if (n + 1 < seq.length) {
                        next = pass.forwardArgmax(seq, n, 1, n);
                    }
                }
                text.append(decoder.finish());
                return textResult(check, text.toString(), pass.description());
            }
        } catch (RuntimeException e) {
            return CheckResult.crashed("greedy", check, e);
        }
    }

    private static CheckResult textResult(String check, String text, String mode) {
        boolean same = text.equals(ReferenceText.STORIES_REFERENCE_TEXT);
        int at = 0;
        while (at < Math.min(text.length(), ReferenceText.STORIES_REFERENCE_TEXT.length())
                && text.charAt(at) == ReferenceText.STORIES_REFERENCE_TEXT.charAt(at)) {
            at++;
        }
        return new CheckResult("greedy", check, same, Double.NaN, Double.NaN, same ? "equal to the reference; " + mode
                : "differs from the reference at character " + at + ": got \"" + text + "\"");
    }

    /** Opening and closing a model returns the device's free memory to where it was. */
    private void memoryFreed(CudaDevice d, Path tmp) {
        Path model = CheckModels.generate(CheckModels.CONFORMANCE, GgmlType.Q8_0, tmp);
        try (CudaContext probe = CudaContext.open(d)) {
            long before = probe.memoryInfo()[0];
            long held;
            try (InferenceBackend cuda = cuda(model)) {
                held = before - probe.memoryInfo()[0];
                notes.add("open model: " + cuda.computeMode());
            }
            long after = probe.memoryInfo()[0];
            long leaked = before - after;
            results.add(new CheckResult("memory", "device memory freed on close", leaked < (8L << 20) && held > 0,
                    leaked, 8L << 20, String.format(Locale.ROOT, "free before %d MiB, while open -%d MiB, after close "
                    + "%+d MiB", before >> 20, held >> 20, -(leaked >> 20))));
        }
    }

    private void benchmark(Path tmp, DeviceSummary device) {
        for (ModelPreset preset : options.benchPresets()) {
            for (GgmlType type : options.benchTypes()) {
                long t0 = System.nanoTime();
                Path model = CheckModels.generate(preset, type, tmp);
                log.printf(Locale.ROOT, "   generated %s %s in %.1f s%n", preset.name(), type, (System.nanoTime() - t0) / 1e9);
                try (InferenceBackend cuda = cuda(model)) {
                    double[] r = Benchmark.run(cuda);
                    double argmaxRate = deviceArgmaxDecode(model);
                    long bpt = cuda.model().bytesPerToken();
                    double frac = device.peakBandwidthBytesPerSecond() > 0
                            ? bpt * Math.max(r[1], argmaxRate) / device.peakBandwidthBytesPerSecond() : Double.NaN;
                    bench.add(new BenchRow("cuda", preset.name(), type.name(), r[0], r[1], argmaxRate, bpt, frac,
                            cuda.computeMode()));
                    log.printf(Locale.ROOT, "   cuda %s %s: pp128 %.1f tok/s, tg64 %.1f tok/s (device argmax %.1f), %.1f%% of "
                            + "peak bandwidth%n", preset.name(), type, r[0], r[1], argmaxRate, 100 * frac);
                }
                // The cpu ratio on the first (smallest) preset only: larger ones would take minutes on the CPU.
                if (options.cpuBaseline() && preset.equals(options.benchPresets().getFirst())) {
                    try (InferenceBackend cpu = provider("cpu").open(ModelSource.gguf(model),
                            BackendOptions.defaults().withContextLength(512))) {
                        double[] r = Benchmark.run(cpu);
                        bench.add(new BenchRow("cpu", preset.name(), type.name(), r[0], r[1], Double.NaN,
                                cpu.model().bytesPerToken(), Double.NaN, cpu.computeMode()));
                        log.printf(Locale.ROOT, "   cpu  %s %s: pp128 %.1f tok/s, tg64 %.1f tok/s%n", preset.name(), type,
                                r[0], r[1]);
                    }
                }
                deleteQuietly(model);
            }
        }
    }

    /** The device forward pass of a loaded llama or gpt-oss model, on a fresh context. */
    private static DeviceForwardPass openPass(CudaDevice d, Model model, int contextLength, int maxBatch) {
        return switch (model) {
            case LlamaModel llama -> CudaLlamaForwardPass.open(CudaContext.open(d), llama, contextLength, maxBatch);
            case GptOssModel oss -> CudaGptOssForwardPass.open(CudaContext.open(d), oss, contextLength, maxBatch);
            default -> throw new IllegalArgumentException("no CUDA forward pass for '" + model.architecture() + "'");
        };
    }

    /** One generated gpt-oss model of the check: its dense type, output and the provider that runs it. */
    private record GptOssVariant(GgmlType dense, boolean tied, String provider) {
        String describe() {
            return "generated gpt-oss (" + dense + " dense, MXFP4 experts, " + (tied ? "tied" : "separate")
                    + " output) on " + provider;
        }
    }

    private void gptOss(CudaDevice d, Path tmp) {
        Path last = null;
        for (GptOssVariant v : List.of(new GptOssVariant(GgmlType.F32, false, CudaBackendProvider.ID),
                new GptOssVariant(GgmlType.Q8_0, true, Mxfp4BackendProvider.ID))) {
            Path model = GptOssCheckModels.conformance(v.dense(), v.tied(), tmp);
            results.add(gptOssVsCpu(v, model, SEQUENCE));
            results.add(gptOssGreedy(v, model));
            last = model;
        }
        results.add(gptOssMemory(d, last));
        tinyGptOss();
    }

    /** The device pass's logits against the cpu backend's at every position of {@code n} tokens (beyond the window of 8). */
    private CheckResult gptOssVsCpu(GptOssVariant v, Path model, int n) {
        String name = "logits vs cpu: " + v.describe() + (n == SEQUENCE ? "" : ", " + n + " tokens");
        try (InferenceBackend cpu = provider("cpu").open(ModelSource.gguf(model),
                BackendOptions.defaults().withContextLength(CONTEXT));
             InferenceBackend cuda = provider(v.provider()).open(ModelSource.gguf(model),
                     BackendOptions.defaults().withContextLength(CONTEXT))) {
            int[] tokens = LogitsConformance.tokens(n, cpu.model().vocabularySize(), 4321);
            return LogitsConformance.compare(name, cpu, cuda, tokens);
        } catch (RuntimeException e) {
            return CheckResult.crashed("logits", name, e);
        }
    }

    /** Greedy tokens through the engine's loop (the argmax on the device) equal to the cpu backend's. */
    private CheckResult gptOssGreedy(GptOssVariant v, Path model) {
        String name = "greedy tokens vs cpu: " + v.describe();
        try (InferenceBackend cpu = provider("cpu").open(ModelSource.gguf(model),
                BackendOptions.defaults().withContextLength(256));
             InferenceBackend cuda = provider(v.provider()).open(ModelSource.gguf(model),
                     BackendOptions.defaults().withContextLength(256))) {
            int[] prompt = LogitsConformance.tokens(5, cpu.model().vocabularySize(), 99);
            GenerationRequest req = GenerationRequest.ofTokens(prompt, 40).withStopAtEos(false);
            int[] expected = cpu.generate(req, (t, p) -> { }).tokens();
            int[] got = cuda.generate(req, (t, p) -> { }).tokens();
            int same = 0;
            while (same < Math.min(expected.length, got.length) && expected[same] == got[same]) {
                same++;
            }
            boolean passed = Arrays.equals(expected, got);
            return new CheckResult("greedy", name, passed, Double.NaN, Double.NaN, passed
                    ? expected.length + " tokens equal; " + cuda.computeMode()
                    : "first difference at token " + same + ": cuda " + Arrays.toString(got) + ", cpu "
                    + Arrays.toString(expected));
        } catch (RuntimeException e) {
            return CheckResult.crashed("greedy", name, e);
        }
    }

    /** The pass allocates exactly its plan, and closing it gives the device's free memory back. */
    private CheckResult gptOssMemory(CudaDevice d, Path model) {
        String name = "gpt-oss: allocations equal the plan and are freed on close";
        try (GgufFile file = GgufFile.open(model); CudaContext probe = CudaContext.open(d)) {
            GptOssModel oss = GptOssModel.load(file);
            long before = probe.memoryInfo()[0];
            long held;
            long allocated;
            long planned;
            try (CudaGptOssForwardPass pass = CudaGptOssForwardPass.open(CudaContext.open(d), oss, 256, 64)) {
                held = before - probe.memoryInfo()[0];
                allocated = pass.deviceBytes();
                planned = pass.plan().totalBytes();
            }
            long leaked = before - probe.memoryInfo()[0];
            boolean passed = allocated == planned && leaked < (8L << 20) && held > 0;
            return new CheckResult("memory", name, passed, leaked, 8L << 20, String.format(Locale.ROOT,
                    "allocated %d bytes, planned %d; free before %d MiB, while open -%d MiB, after close %+d MiB",
                    allocated, planned, before >> 20, held >> 20, -(leaked >> 20)));
        } catch (RuntimeException e) {
            return CheckResult.crashed("memory", name, e);
        }
    }

    /** tiny-gpt-oss.gguf against its float64 reference, when --models holds both files. */
    private void tinyGptOss() {
        Path model = options.models().resolve(TinyGptOssReference.MODEL);
        Path json = options.models().resolve(TinyGptOssReference.FILE);
        if (!Files.isRegularFile(model) || !Files.isRegularFile(json)) {
            notes.add(TinyGptOssReference.MODEL + " or " + TinyGptOssReference.FILE + " absent from " + options.models()
                    + ": the tiny-gpt-oss reference check was skipped (the generated gpt-oss models were checked "
                    + "against the cpu backend, which matches that reference on the CPU)");
            return;
        }
        try (InferenceBackend cuda = provider(Mxfp4BackendProvider.ID).open(ModelSource.gguf(model),
                BackendOptions.defaults().withContextLength(512))) {
            results.addAll(TinyGptOssReference.check(cuda, json));
        } catch (RuntimeException e) {
            results.add(CheckResult.crashed("reference", "tiny-gpt-oss", e));
        }
    }

    /** MXFP4 decode on the ~1B gpt-oss model; bytes per token count only the active experts. */
    private void gptOssBenchmark(Path tmp, DeviceSummary device) {
        long t0 = System.nanoTime();
        Path model = GptOssCheckModels.bench1b(tmp);
        log.printf(Locale.ROOT, "   generated gpt-oss 1b (%.1f B parameters) in %.1f s%n",
                GptOssCheckModels.BENCH_1B.parameters(false) / 1e9, (System.nanoTime() - t0) / 1e9);
        try (InferenceBackend cuda = provider(Mxfp4BackendProvider.ID).open(ModelSource.gguf(model),
                BackendOptions.defaults().withContextLength(512))) {
            double[] r = Benchmark.run(cuda);
            double argmaxRate = deviceArgmaxDecode(model);
            long bpt = cuda.model().bytesPerToken();
            double frac = device.peakBandwidthBytesPerSecond() > 0
                    ? bpt * Math.max(r[1], argmaxRate) / device.peakBandwidthBytesPerSecond() : Double.NaN;
            bench.add(new BenchRow(Mxfp4BackendProvider.ID, "gpt-oss-1b", "MXFP4", r[0], r[1], argmaxRate, bpt, frac,
                    cuda.computeMode()));
            log.printf(Locale.ROOT, "   cuda-mxfp4 gpt-oss-1b: pp128 %.1f tok/s, tg64 %.1f tok/s (device argmax %.1f), "
                    + "%.1f MiB per token, %.1f%% of peak bandwidth%n", r[0], r[1], argmaxRate, bpt / 1048576.0,
                    100 * frac);
        }
        deleteQuietly(model);
    }

    private double deviceArgmaxDecode(Path model) {
        CudaDevice d = ((CudaDiscovery.Found) CudaProbe.discover()).devices().getFirst();
        try (GgufFile file = GgufFile.open(model)) {
            Model loaded = Models.load(file);
            try (DeviceForwardPass pass = openPass(d, loaded, 512, 64)) {
                int[] seq = LogitsConformance.tokens(8 + Benchmark.DECODE, loaded.vocabSize(), 8);
                double best = 0;
                for (int rep = 0; rep < Benchmark.REPEATS; rep++) {
                    int next = pass.forwardArgmax(seq, 0, 8, 0);
                    long t0 = System.nanoTime();
                    for (int i = 0; i < Benchmark.DECODE; i++) {
                        seq[8 + i] = next;
                        next = pass.forwardArgmax(seq, 8 + i, 1, 8 + i);
                    }
                    best = Math.max(best, Benchmark.DECODE / ((System.nanoTime() - t0) / 1e9));
                }
                return best;
            }
        }
    }

    private static InferenceBackend scalar(Path model) {
        return EngineBackend.open("scalar", AccelerationType.CPU, model, BackendOptions.defaults().withContextLength(CONTEXT),
                threads -> new ScalarKernels());
    }

    private static InferenceBackend cuda(Path model) {
        return provider(CudaBackendProvider.ID).open(ModelSource.gguf(model),
                BackendOptions.defaults().withContextLength(CONTEXT));
    }

    /**
     * The provider with {@code id} on the class path. Providers that cannot even be instantiated
     * here (a backend whose native dependencies this host lacks) are passed over.
     */
    static BackendProvider provider(String id) {
        for (ServiceLoader.Provider<BackendProvider> p : ServiceLoader.load(BackendProvider.class).stream().toList()) {
            try {
                BackendProvider provider = p.get();
                if (provider.id().equals(id)) {
                    return provider;
                }
            } catch (java.util.ServiceConfigurationError | LinkageError e) {
                // not this one
            }
        }
        throw new IllegalStateException("backend '" + id + "' is not on the class path");
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName() + ", " + Runtime.getRuntime().availableProcessors()
                    + " CPUs, Java " + Runtime.version();
        } catch (IOException e) {
            return "unknown host, Java " + Runtime.version();
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("inferlab-cuda-check");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temp file; the folder is removed at the end
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(CudaCheck::deleteQuietly);
        } catch (IOException e) {
            // best effort
        }
    }
}
