package io.inferlab.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.GenerationTimings;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.SamplingParams;
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
    @Option(names = {"-m", "--model"}, required = true, description = "GGUF model file.")
    Path model;

    @Option(names = {"-p", "--prompt"}, required = true, description = "Prompt text.")
    String prompt;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "128", description = "Tokens to generate at most (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0.8", description = "Sampling temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "40", description = "Keep the k most likely tokens; 0 = all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "Nucleus probability mass (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed for sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object (text, tokens, stop reason, timings) instead of streaming text.")
    boolean json;

    @Mixin
    BackendOptionsMixin backendOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (maxTokens < 0) {
            throw new IllegalArgumentException("--max-tokens must be >= 0, got " + maxTokens);
        }
        SamplingParams sampling = new SamplingParams(temperature, topK, topP, seed);
        GenerationRequest request = GenerationRequest.greedy(prompt, maxTokens).withSampling(sampling);
        try (InferenceBackend backend = Backends.discover().open(backendOptions.backend, ModelSource.gguf(model),
                backendOptions.toOptions())) {
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
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(backend, result)));
            } else {
                out.println();
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

    private Map<String, Object> toJson(InferenceBackend backend, GenerationResult r) {
        GenerationTimings t = r.timings();
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("prompt_tokens", t.promptTokens());
        timings.put("prefill_ns", t.prefillNs());
        timings.put("ttft_ns", t.ttftNs());
        timings.put("tpot_ns", t.tpotNs());
        timings.put("itl_ns", t.itlNs());
        timings.put("e2el_ns", t.e2eNs());
        timings.put("prefill_tokens_per_second", t.prefillTokensPerSecond());
        timings.put("decode_tokens_per_second", t.decodeTokensPerSecond());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend.id());
        m.put("model", backend.model().path().toString());
        m.put("compute_mode", r.computeMode());
        m.put("prompt", prompt);
        m.put("prompt_token_ids", r.promptTokens());
        m.put("text", r.text());
        m.put("token_ids", r.tokens());
        m.put("stop_reason", r.stopReason().name().toLowerCase());
        m.put("timings", timings);
        return m;
    }
}
