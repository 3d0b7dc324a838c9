package io.inferlab.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.harness.adaptive.Measurement;
import io.inferlab.harness.adaptive.Objective;
import io.inferlab.harness.adaptive.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inferlab select}: the fallback chain the adaptive runtime would use for a model on this
 * machine, with each backend's stored numbers or the priority it fell back to, and why the other
 * backends are left out.
 */
@Command(name = "select", mixinStandardHelpOptions = true,
        description = "Pick the backend for a model from stored measurements (fallback chain with reasons).")
final class SelectCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, description = "GGUF model file.")
    Path model;

    @Option(names = "--objective", description = "throughput (decode tokens/s), latency (TTFT, then TPOT) or balanced "
            + "(default: the config's, else throughput).")
    String objective;

    @Option(names = "--results", description = "Result store directory (default: $INFERLAB_HOME/results or ~/.inferlab/results).")
    Path results;

    @Option(names = "--config", description = "Selection config file (JSON: thresholds, pin, exclude, priorities, model entries).")
    Path config;

    @Option(names = "--calibrate", description = "When no backend has a stored measurement for this model here, run a short "
            + "calibration (a few prefill and decode steps per backend), store it in the result store and select again.")
    boolean calibrate;

    @Option(names = "--calibration-budget-ms", defaultValue = "10000",
            description = "Time limit per backend for --calibrate (default: ${DEFAULT-VALUE}).")
    long calibrationBudgetMs;

    @Option(names = "--json", description = "Print the selection as one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (calibrationBudgetMs <= 0) {
            throw new IllegalArgumentException("--calibration-budget-ms must be > 0, got " + calibrationBudgetMs);
        }
        AutoSelection.Outcome o = AutoSelection.select(model, objective == null ? null : Objective.parse(objective), results, config,
                calibrate ? Duration.ofMillis(calibrationBudgetMs) : null);
        Selection s = o.selection();
        if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(o)));
            return 0;
        }
        out.printf(Locale.ROOT, "model: %s (sha256 %s, %s)%n", model, o.model().sha256().substring(0, 12), o.model().architecture());
        out.printf(Locale.ROOT, "host: %s, result store: %s, objective: %s%n", o.fingerprint(), o.store(), s.objective().id());
        if (s.chain().isEmpty()) {
            out.println("no backend can run this model here");
        }
        for (int i = 0; i < s.chain().size(); i++) {
            Selection.Entry e = s.chain().get(i);
            out.printf(Locale.ROOT, "%d. %-9s %-7s %s%n", i + 1, e.backend(), e.acceleration(), e.reason());
        }
        for (Selection.Exclusion x : s.excluded()) {
            out.printf(Locale.ROOT, "   excluded %s: %s%n", x.backend(), x.reason());
        }
        for (String skipped : s.skippedRuns()) {
            out.printf(Locale.ROOT, "   ignored run %s%n", skipped);
        }
        out.printf(Locale.ROOT, "selected %s; the selection itself took %.1f us (one cold call in this JVM, class loading included)%n",
                s.chain().isEmpty() ? "nothing" : s.chain().getFirst().backend(), o.selectNs() / 1e3);
        return s.chain().isEmpty() ? Main.EXIT_ERROR : 0;
    }

    private Map<String, Object> toJson(AutoSelection.Outcome o) {
        Selection s = o.selection();
        List<Map<String, Object>> chain = new ArrayList<>();
        for (Selection.Entry e : s.chain()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("backend", e.backend());
            m.put("acceleration", e.acceleration().name());
            m.put("priority", e.priority());
            Measurement x = e.measurement();
            if (x != null) {
                Map<String, Object> mm = new LinkedHashMap<>();
                mm.put("decode_tokens_per_second", x.decodeTokensPerSecond());
                mm.put("ttft_ms", x.ttftMs());
                mm.put("tpot_ms", x.tpotMs());
                mm.put("run", x.run());
                mm.put("time", x.time());
                m.put("measurement", mm);
            } else {
                m.put("measurement", null);
            }
            m.put("reason", e.reason());
            chain.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model.toString());
        out.put("model_sha256", o.model().sha256());
        out.put("host_fingerprint", o.fingerprint());
        out.put("result_store", o.store().toString());
        out.put("objective", s.objective().id());
        out.put("chain", chain);
        out.put("excluded", s.excluded().stream().map(x -> Map.of("backend", x.backend(), "reason", x.reason())).toList());
        out.put("ignored_runs", s.skippedRuns());
        out.put("selection_ns", o.selectNs());
        return out;
    }
}
