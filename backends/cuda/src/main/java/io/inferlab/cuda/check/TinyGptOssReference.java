package io.inferlab.cuda.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.api.InferenceBackend;

/**
 * The check against {@code tiny-gpt-oss.reference.json} (../shared/models/README.md: per prompt,
 * its tokens, a greedy continuation and, per teacher-forced step, the float64 reference's top-5
 * logits), as the engine's test helper GptOssReference reads it, for the runnable check, which has
 * no test classes: the backend's logits of prompt + continuation in one pass, each step's top-5
 * within {@link #TOLERANCE}, and the same top-1 on every step whose reference top-1 is clear.
 */
public final class TinyGptOssReference {
    public static final String MODEL = "tiny-gpt-oss.gguf";
    public static final String FILE = "tiny-gpt-oss.reference.json";
    /** The README's tolerance against float64 (f32 compute throughout). */
    public static final double TOLERANCE = 1e-2;
    /** Below this top-1/top-2 margin or routing gap, f32 rounding may legitimately pick differently (README). */
    static final double CLEAR_GAP = 0.002;

    record Step(int position, int[] topTokens, double[] topLogits, double minRoutingGap) {
        boolean clear() {
            return topLogits[0] - topLogits[1] > CLEAR_GAP && minRoutingGap > CLEAR_GAP;
        }
    }

    record Prompt(String prompt, int[] teacherForced, List<Step> steps) {
    }

    private TinyGptOssReference() {
    }

    static List<Prompt> load(Path json) {
        try {
            List<Prompt> out = new ArrayList<>();
            for (JsonNode p : new ObjectMapper().readTree(json.toFile())) {
                List<Step> steps = new ArrayList<>();
                for (JsonNode s : p.get("steps")) {
                    JsonNode top = s.get("top5");
                    int[] tokens = new int[top.size()];
                    double[] logits = new double[top.size()];
                    for (int i = 0; i < top.size(); i++) {
                        tokens[i] = top.get(i).get(0).asInt();
                        logits[i] = top.get(i).get(1).asDouble();
                    }
                    steps.add(new Step(s.get("position").asInt(), tokens, logits, s.get("min_routing_gap").asDouble()));
                }
                int[] prompt = ints(p.get("prompt_tokens"));
                int[] continuation = ints(p.get("continuation"));
                // The continuation's last token has no step asking for its successor.
                int[] all = Arrays.copyOf(prompt, prompt.length + continuation.length - 1);
                System.arraycopy(continuation, 0, all, prompt.length, continuation.length - 1);
                out.add(new Prompt(p.get("prompt").asText(), all, List.copyOf(steps)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json + ": " + e.getMessage(), e);
        }
    }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    /** One result per prompt of {@code json}. */
    public static List<CheckResult> check(InferenceBackend backend, Path json) {
        List<CheckResult> out = new ArrayList<>();
        for (Prompt p : load(json)) {
            float[][] logits = backend.logits(p.teacherForced());
            double worst = 0;
            String where = "";
            int clear = 0;
            int clearMatches = 0;
            for (Step s : p.steps()) {
                float[] row = logits[s.position()];
                for (int i = 0; i < s.topTokens().length; i++) {
                    double err = Math.abs(row[s.topTokens()[i]] - s.topLogits()[i]);
                    if (err > worst) {
                        worst = err;
                        where = "position " + s.position() + " token " + s.topTokens()[i];
                    }
                }
                if (s.clear()) {
                    clear++;
                    clearMatches += LogitsConformance.argmax(row) == s.topTokens()[0] ? 1 : 0;
                }
            }
            boolean passed = worst <= TOLERANCE && clearMatches == clear;
            out.add(new CheckResult("reference", "tiny-gpt-oss \"" + p.prompt() + "\"", passed, worst, TOLERANCE,
                    String.format(Locale.ROOT, "%s over %d steps: worst top-5 |diff| %.3g at %s (allowed %.0e); "
                                    + "top-1 equal on %d/%d clear steps", backend.id(), p.steps().size(), worst, where,
                            TOLERANCE, clearMatches, clear)));
        }
        return out;
    }
}
