package io.inferlab.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.api.InferenceBackend;

/**
 * {@code tiny-gpt-oss.reference.json} (see ../shared/models/README.md): per prompt, its tokens, a
 * 48-token greedy continuation, and per step the reference's top-5 logits (float64 from the
 * dequantized weights), teacher-forced on the continuation. {@link #compare} runs a backend over
 * prompt + continuation in one pass and measures it against every step.
 */
public final class GptOssReference {
    public static final String FILE = "tiny-gpt-oss.reference.json";
    /** Below this top-1/top-2 margin or routing gap, float32 rounding may legitimately pick differently (README). */
    public static final double CLEAR_GAP = 0.002;

    /** One teacher-forced step: the reference's top-5 for the token after {@code position}. */
    public record Step(int step, int position, int[] topTokens, double[] topLogits, double minRoutingGap,
                       int llamacppNext) {
        /** Top-1 minus top-2 of the reference. */
        public double margin() {
            return topLogits[0] - topLogits[1];
        }

        /** Whether the reference's top-1 is unambiguous in float32 (both gaps clear). */
        public boolean clear() {
            return margin() > CLEAR_GAP && minRoutingGap > CLEAR_GAP;
        }
    }

    public record Prompt(String prompt, int[] promptTokens, int[] continuation, List<Step> steps) {
        /** The prompt followed by the continuation, but its last token (whose successor no step asks for). */
        public int[] teacherForced() {
            int[] all = Arrays.copyOf(promptTokens, promptTokens.length + continuation.length - 1);
            System.arraycopy(continuation, 0, all, promptTokens.length, continuation.length - 1);
            return all;
        }
    }

    /**
     * How a backend's logits compare with one prompt's reference.
     *
     * @param maxAbsError       the largest |ours - reference| over every step's top-5 tokens
     * @param clearSteps        steps whose reference top-1 is clear ({@link Step#clear})
     * @param clearTop1Matches  of those, the steps where our argmax is the reference's top-1
     * @param top1Matches       steps (of all) where our argmax is the reference's top-1
     */
    public record Comparison(int steps, double maxAbsError, int clearSteps, int clearTop1Matches, int top1Matches,
                             String worst) {
    }

    private GptOssReference() {
    }

    /** The reference's prompts; skips the calling test when the file is absent. */
    public static List<Prompt> load() {
        Path json = SharedModels.require(FILE);
        try {
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            List<Prompt> out = new ArrayList<>();
            for (JsonNode p : root) {
                List<Step> steps = new ArrayList<>();
                for (JsonNode s : p.get("steps")) {
                    JsonNode top = s.get("top5");
                    int[] tokens = new int[top.size()];
                    double[] logits = new double[top.size()];
                    for (int i = 0; i < top.size(); i++) {
                        tokens[i] = top.get(i).get(0).asInt();
                        logits[i] = top.get(i).get(1).asDouble();
                    }
                    steps.add(new Step(s.get("step").asInt(), s.get("position").asInt(), tokens, logits,
                            s.get("min_routing_gap").asDouble(), s.get("llamacpp_next").asInt()));
                }
                out.add(new Prompt(p.get("prompt").asText(), ints(p.get("prompt_tokens")), ints(p.get("continuation")),
                        List.copyOf(steps)));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
    }

    /** Logits of every position of prompt + continuation in one run, compared step by step. */
    public static Comparison compare(InferenceBackend backend, Prompt p) {
        float[][] logits = backend.logits(p.teacherForced());
        double maxErr = 0;
        String worst = "";
        int clear = 0;
        int clearMatches = 0;
        int matches = 0;
        for (Step s : p.steps()) {
            float[] row = logits[s.position()];
            for (int i = 0; i < s.topTokens().length; i++) {
                double err = Math.abs(row[s.topTokens()[i]] - s.topLogits()[i]);
                if (err > maxErr) {
                    maxErr = err;
                    worst = "step " + s.step() + " token " + s.topTokens()[i] + ": " + row[s.topTokens()[i]]
                            + " vs " + s.topLogits()[i];
                }
            }
            boolean match = Logits.argmax(row) == s.topTokens()[0];
            matches += match ? 1 : 0;
            if (s.clear()) {
                clear++;
                clearMatches += match ? 1 : 0;
            }
        }
        return new Comparison(p.steps().size(), maxErr, clear, clearMatches, matches, worst);
    }
}
