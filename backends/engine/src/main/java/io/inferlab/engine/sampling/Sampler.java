package io.inferlab.engine.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.inferlab.api.SamplingParams;

/**
 * Picks the next token from logits: greedy argmax at temperature 0 (ties to the lowest id),
 * otherwise softmax at the temperature, restricted to the top-k tokens and then to the smallest
 * set whose probability reaches top-p, drawn from a seeded stream so runs repeat. Buffers are
 * allocated once per vocabulary size; sampling a token allocates nothing.
 */
public final class Sampler {
    private final SamplingParams params;
    private final SplittableRandom random;
    private final int[] ids;
    private final float[] probs;

    public Sampler(SamplingParams params, int vocabularySize) {
        this.params = params;
        this.random = new SplittableRandom(params.seed());
        this.ids = new int[vocabularySize];
        this.probs = new float[vocabularySize];
    }

    public static int argmax(float[] logits, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The next token from {@code logits[0..n)}. */
    public int sample(float[] logits, int n) {
        if (params.isGreedy()) {
            return argmax(logits, n);
        }
        float max = logits[argmax(logits, n)];
        float invT = 1f / params.temperature();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float p = (float) Math.exp((logits[i] - max) * invT);
            probs[i] = p;
            sum += p;
        }
        // Candidates: the top-k by probability, or, with no k, those that can belong to the top-p
        // nucleus: a token below (1 - p) / (n - 1) of the total cannot (llama2.c's cut-off), which
        // keeps the sort small for large vocabularies.
        int count = 0;
        double cutoff = params.topK() == 0 && params.topP() < 1 ? (1 - params.topP()) / (n - 1) * sum : -1;
        for (int i = 0; i < n; i++) {
            if (probs[i] >= cutoff) {
                ids[count++] = i;
            }
        }
        int keep = params.topK() > 0 ? Math.min(params.topK(), count) : count;
        sortByProbability(count, keep);
        double kept = 0;
        for (int i = 0; i < keep; i++) {
            kept += probs[ids[i]];
        }
        if (params.topP() < 1) {
            double acc = 0;
            for (int i = 0; i < keep; i++) {
                acc += probs[ids[i]];
                if (acc >= params.topP() * kept) {
                    keep = i + 1;
                    kept = acc;
                    break;
                }
            }
        }
        double r = random.nextDouble() * kept;
        double acc = 0;
        for (int i = 0; i < keep; i++) {
            acc += probs[ids[i]];
            if (r < acc) {
                return ids[i];
            }
        }
        return ids[keep - 1];
    }

    /**
     * Orders {@code ids[0..count)} so the {@code keep} most probable come first, by descending
     * probability, ties by ascending id.
     */
    private void sortByProbability(int count, int keep) {
        if (keep == count && count > 4096) {
            // Full sort of a large candidate set: box once (rare: no top-k and a wide nucleus).
            Integer[] boxed = new Integer[count];
            for (int i = 0; i < count; i++) {
                boxed[i] = ids[i];
            }
            Arrays.sort(boxed, (a, b) -> probs[a] != probs[b] ? Float.compare(probs[b], probs[a]) : Integer.compare(a, b));
            for (int i = 0; i < count; i++) {
                ids[i] = boxed[i];
            }
            return;
        }
        // Partial selection sort: keep is small (top-k) or the candidate set is small.
        for (int i = 0; i < keep; i++) {
            int best = i;
            for (int j = i + 1; j < count; j++) {
                if (better(ids[j], ids[best])) {
                    best = j;
                }
            }
            int tmp = ids[i];
            ids[i] = ids[best];
            ids[best] = tmp;
        }
    }

    private boolean better(int a, int b) {
        return probs[a] > probs[b] || (probs[a] == probs[b] && a < b);
    }
}
