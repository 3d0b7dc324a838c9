package io.inferlab.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.api.BackendUnavailableException;
import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.GenerationTimings;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.harness.adaptive.AdaptiveInference;
import io.inferlab.harness.adaptive.AdaptiveOptions;
import io.inferlab.harness.adaptive.AdaptiveResult;
import io.inferlab.harness.adaptive.BackendOpener;
import io.inferlab.harness.adaptive.FallbackEvent;
import io.inferlab.harness.backends.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code inferlab generate}: prints the prompt and then the continuation as it streams, exactly as
 * decoded, and a one-line summary on stderr (or one JSON object with {@code --json}).
 */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate text from a prompt.")
final class GenerateCommand implements Callable<Integer> {
    /** The {@code --backend} value that selects through the adaptive runtime. */
    static final String AUTO = "auto";

    @Option(names = {"-m", "--model"}, required = true, description = "GGUF model file.")
    Path model;

    @Option(names = {"-p", "--prompt"}, required = true, description = "Prompt text.")
    String prompt;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "128", description = "Tokens to generate at most (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--json", description = "Print one JSON object (text, tokens, stop reason, timings) instead of streaming text.")
    boolean json;

    @Mixin
    SamplingOptionsMixin sampling;

    @Mixin
    BackendOptionsMixin backendOptions;

    @Mixin
    WarmupMixin warmup;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SamplingOptionsMixin.requireMaxTokens(maxTokens);
        GenerationRequest request = GenerationRequest.greedy(prompt, maxTokens).withSampling(sampling.toParams());
        if (AUTO.equals(backendOptions.backend)) {
            return generateAdaptive(request, out, err);
        }
        try (InferenceBackend backend = Backends.discover().open(backendOptions.backend, ModelSource.gguf(model),
                backendOptions.toOptions())) {
            long warmupNs = warmup.run(backend, backendOptions.toOptions().effectiveThreads());
            if (!json) {
                out.print(prompt);
                out.flush();
            }
            GenerationResult result = backend.generate(request, (token, piece) -> {
                if (!json) {
                    out.print(piece);
                    out.flush();
                }
            });
            if (json) {
                Map<String, Object> m = toJson(backend.id(), backend.model().path(), result);
                m.put("warmup_ms", warmupNs / 1e6);
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m));
            } else {
                out.println();
                warmup.report(err, warmupNs);
                err.println(summary(result));
            }
        }
        return 0;
    }

    static String summary(GenerationResult r) {
        GenerationTimings t = r.timings();
        return "prompt tokens: %d, generated: %d (%s), TTFT %.1f ms, prefill %.1f tok/s, decode %.1f tok/s"
                .formatted(r.promptTokens().length, r.tokens().length, r.stopReason().name().toLowerCase(),
                        t.ttftNs() / 1e6, t.prefillTokensPerSecond(), t.decodeTokensPerSecond());
    }

    /**
     * {@code --backend auto}: the chain {@code select} prints, served by {@link AdaptiveInference},
     * which falls back to the next backend when one fails; stderr names the backend that served.
     */
    private int generateAdaptive(GenerationRequest request, PrintWriter out, PrintWriter err) throws Exception {
        AutoSelection.Outcome o = AutoSelection.select(model, null, null, null);
        List<String> chain = o.selection().backendIds();
        if (chain.isEmpty()) {
            throw new BackendUnavailableException("no backend can run " + model + " here: " + o.selection().excluded().stream()
                    .map(x -> x.backend() + " (" + x.reason() + ")").collect(Collectors.joining("; ")));
        }
        BackendOpener opener = BackendOpener.of(Backends.discover(), ModelSource.gguf(model), backendOptions.toOptions());
        try (AdaptiveInference runtime = new AdaptiveInference(chain, opener, AdaptiveOptions.defaults()).start()) {
            // Through the runtime, so that it warms up (and opens) whichever backend will serve.
            long warmupNs = warmup.run(() -> runtime.generate(WarmupMixin.requestFor(prompt), (token, piece) -> { }));
            if (!json) {
                out.print(prompt);
                out.flush();
            }
            AdaptiveResult served = runtime.generate(request, (token, piece) -> {
                if (!json) {
                    out.print(piece);
                    out.flush();
                }
            });
            if (json) {
                Map<String, Object> m = toJson(served.backend(), model, served.result());
                m.put("chain", chain);
                m.put("warmup_ms", warmupNs / 1e6);
                m.put("fallbacks", runtime.fallbacks().stream().map(f -> Map.of("backend", f.backend(),
                        "kind", f.kind().name().toLowerCase(), "message", f.message(), "time_lost_ns", f.timeLostNs())).toList());
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m));
            } else {
                out.println();
                for (FallbackEvent f : runtime.fallbacks()) {
                    err.printf("fell back from %s (%s: %s, %.1f ms lost)%n", f.backend(), f.kind().name().toLowerCase(),
                            f.message(), f.timeLostNs() / 1e6);
                }
                warmup.report(err, warmupNs);
                err.println("backend: " + served.backend() + " (auto, chain " + String.join(" > ", chain) + ": "
                        + o.selection().chain().getFirst().reason() + ")");
                err.println(summary(served.result()));
            }
        }
        return 0;
    }

    private Map<String, Object> toJson(String backendId, Path modelPath, GenerationResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backendId);
        m.put("model", modelPath.toString());
        m.put("compute_mode", r.computeMode());
        m.put("prompt", prompt);
        m.put("prompt_token_ids", r.promptTokens());
        m.put("text", r.text());
        m.put("token_ids", r.tokens());
        m.put("stop_reason", r.stopReason().name().toLowerCase());
        m.put("timings", TimingsJson.of(r.timings()));
        return m;
    }
}
