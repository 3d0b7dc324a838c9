package io.inferlab.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.api.ChatMessage;
import io.inferlab.api.ChatRequest;
import io.inferlab.api.ChatResult;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.GenerationTimings;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ReasoningEffort;
import io.inferlab.api.TokenListener;
import io.inferlab.harness.backends.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inferlab chat}: one chat turn in the model's own chat format (harmony for gpt-oss, a
 * plain template otherwise). Prints the final channel (and the analysis channel, the model's
 * chain of thought, with {@code --show-analysis}), a one-line summary on stderr, or with
 * {@code --json} the parsed messages with their channels.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat with a model in its own chat format (harmony for gpt-oss).")
final class ChatCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, description = "GGUF model file.")
    Path model;

    @Option(names = {"-p", "--prompt"}, required = true, description = "The user's message.")
    String prompt;

    @Option(names = {"-s", "--system"}, description = "System prompt (harmony: the developer instructions).")
    String system;

    @Option(names = "--reasoning", description = "Reasoning effort for reasoning models: ${COMPLETION-CANDIDATES} "
            + "(default: the model's, medium for gpt-oss).", converter = ReasoningConverter.class,
            completionCandidates = ReasoningConverter.Names.class)
    ReasoningEffort reasoning;

    @Option(names = "--show-analysis", description = "Also print the analysis channel (the model's chain of thought).")
    boolean showAnalysis;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "512", description = "Tokens to generate at most (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--json", description = "Print one JSON object: the parsed messages with their channels, token counts, timings.")
    boolean json;

    @Mixin
    SamplingOptionsMixin sampling;

    @Mixin
    BackendOptionsMixin backendOptions;

    @Mixin
    WarmupMixin warmup;

    @Spec
    CommandSpec spec;

    /** low|medium|high, case-insensitive. */
    static final class ReasoningConverter implements picocli.CommandLine.ITypeConverter<ReasoningEffort> {
        @Override
        public ReasoningEffort convert(String value) {
            try {
                return ReasoningEffort.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected low, medium or high, got '" + value + "'");
            }
        }

        static final class Names extends ArrayList<String> {
            Names() {
                super(List.of("low", "medium", "high"));
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SamplingOptionsMixin.requireMaxTokens(maxTokens);
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(prompt));
        ChatRequest request = ChatRequest.of(messages, maxTokens).withReasoning(reasoning)
                .withSampling(sampling.toParams());
        try (InferenceBackend backend = Backends.discover().open(backendOptions.backend, ModelSource.gguf(model),
                backendOptions.toOptions())) {
            long warmupNs = warmup.run(backend, backendOptions.toOptions().effectiveThreads());
            ChatResult r = backend.chat(request, TokenListener.NONE);
            if (json) {
                Map<String, Object> m = toJson(backend, r);
                m.put("warmup_ms", warmupNs / 1e6);
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m));
            } else {
                warmup.report(err, warmupNs);
                if (showAnalysis) {
                    out.println("[analysis]");
                    out.println(r.analysisText());
                    out.println();
                    out.println("[final]");
                }
                out.println(r.finalText());
                err.println(summary(r));
            }
        }
        return 0;
    }

    static String summary(ChatResult r) {
        GenerationResult g = r.generation();
        GenerationTimings t = g.timings();
        return "%s format, prompt tokens: %d, generated: %d (%s; final %d, analysis %d), TTFT %.1f ms, decode %.1f tok/s"
                .formatted(r.format(), g.promptTokens().length, g.tokens().length, g.stopReason().name().toLowerCase(Locale.ROOT),
                        r.finalTokens(), r.analysisTokens(), t.ttftNs() / 1e6, t.decodeTokensPerSecond());
    }

    private static Map<String, Object> toJson(InferenceBackend backend, ChatResult r) {
        List<Map<String, Object>> messages = new ArrayList<>();
        for (ChatMessage m : r.messages()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("role", m.role().wireName());
            j.put("name", m.name());
            j.put("channel", m.channel());
            j.put("recipient", m.recipient());
            j.put("content_type", m.contentType());
            j.put("content", m.content());
            messages.add(j);
        }
        GenerationResult g = r.generation();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend.id());
        m.put("model", backend.model().path().toString());
        m.put("format", r.format());
        m.put("compute_mode", g.computeMode());
        m.put("messages", messages);
        m.put("final", r.finalText());
        m.put("analysis", r.analysisText());
        m.put("final_tokens", r.finalTokens());
        m.put("analysis_tokens", r.analysisTokens());
        m.put("prompt_tokens", g.promptTokens().length);
        m.put("generated_tokens", g.tokens().length);
        m.put("stop_reason", g.stopReason().name().toLowerCase(Locale.ROOT));
        m.put("timings", TimingsJson.of(g.timings()));
        return m;
    }
}
