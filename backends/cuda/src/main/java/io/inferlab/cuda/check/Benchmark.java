package io.inferlab.cuda.check;

import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.InferenceBackend;

/**
 * A short llama-bench-style run on an open backend: pp128 (prefill of 128 tokens) and tg64 (64
 * decoded tokens), each after one warm-up, best of {@link #REPEATS}.
 */
public final class Benchmark {
    static final int PREFILL = 128;
    static final int DECODE = 64;
    static final int REPEATS = 3;

    private Benchmark() {
    }

    /** {pp128 tokens/s, tg64 tokens/s}. */
    public static double[] run(InferenceBackend b) {
        int vocab = b.model().vocabularySize();
        int[] prompt = LogitsConformance.tokens(PREFILL, vocab, 7);
        int[] shortPrompt = LogitsConformance.tokens(8, vocab, 8);
        GenerationRequest pp = GenerationRequest.ofTokens(prompt, 1).withStopAtEos(false);
        GenerationRequest tg = GenerationRequest.ofTokens(shortPrompt, DECODE).withStopAtEos(false);
        b.generate(GenerationRequest.ofTokens(shortPrompt, 4).withStopAtEos(false), (t, p) -> { });
        double bestPp = 0;
        double bestTg = 0;
        for (int i = 0; i < REPEATS; i++) {
            GenerationResult r = b.generate(pp, (t, p) -> { });
            bestPp = Math.max(bestPp, PREFILL / (r.timings().prefillNs() / 1e9));
            GenerationResult d = b.generate(tg, (t, p) -> { });
            bestTg = Math.max(bestTg, d.timings().decodeTokensPerSecond());
        }
        return new double[] {bestPp, bestTg};
    }
}
