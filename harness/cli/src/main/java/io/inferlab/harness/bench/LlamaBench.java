package io.inferlab.harness.bench;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.InferenceBackend;
import io.inferlab.jmh.RandomPrompt;

/**
 * llama-bench's fixed-size tests on any backend: {@code ppN} runs a prompt of N random tokens
 * (prefill tokens/s), {@code tgN} generates N tokens from a one-token context (decode tokens/s,
 * EOS ignored). Random prompt ids avoid the tokenizer and control tokens; each repetition starts
 * from an empty KV cache, and a short warm-up run first lets the JIT compile the kernels so
 * repetitions measure steady state.
 */
public final class LlamaBench {
    private final InferenceBackend backend;
    private final int threads;
    private final SplittableRandom random = new SplittableRandom(42);

    public LlamaBench(InferenceBackend backend, int threads) {
        this.backend = backend;
        this.threads = threads;
    }

    /** One short pp and tg so the measured runs see compiled code. */
    public void warmUp(int promptTokens, int genTokens) {
        if (promptTokens > 0) {
            backend.generate(GenerationRequest.ofTokens(randomTokens(promptTokens), 1).withStopAtEos(false), (t, p) -> { });
        }
        if (genTokens > 0) {
            backend.generate(GenerationRequest.ofTokens(new int[] {firstToken()}, genTokens).withStopAtEos(false), (t, p) -> { });
        }
    }

    public BenchResult prefill(int tokens, int repetitions) {
        double[] samples = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            GenerationResult res = backend.generate(
                    GenerationRequest.ofTokens(randomTokens(tokens), 1).withStopAtEos(false), (t, p) -> { });
            samples[r] = res.timings().prefillTokensPerSecond();
        }
        return result("pp" + tokens, tokens, samples, new double[0]);
    }

    /**
     * {@code tgN}, {@code repetitions} times. {@code bandwidth} (bytes/s) is measured before the
     * first repetition and after each; a repetition's roofline bandwidth is the mean of the two
     * measurements around it, the same minutes as the tokens/s it is compared with. A supplier
     * of 0 gives no roofline.
     */
    public BenchResult decode(int tokens, int repetitions, DoubleSupplier bandwidth) {
        double[] samples = new double[repetitions];
        double[] around = new double[repetitions];
        double before = bandwidth.getAsDouble();
        for (int r = 0; r < repetitions; r++) {
            GenerationResult res = backend.generate(
                    GenerationRequest.ofTokens(new int[] {firstToken()}, tokens).withStopAtEos(false), (t, p) -> { });
            samples[r] = res.timings().decodeTokensPerSecond();
            double after = bandwidth.getAsDouble();
            around[r] = (before + after) / 2;
            before = after;
        }
        return result("tg" + tokens, tokens, samples, around);
    }

    private BenchResult result(String test, int tokens, double[] samples, double[] bandwidth) {
        DescriptiveStatistics stats = new DescriptiveStatistics(samples);
        double sd = samples.length > 1 ? stats.getStandardDeviation() : 0;
        return new BenchResult(backend.model().path().getFileName().toString(), backend.id(), backend.computeMode(),
                threads, test, tokens, stats.getMean(), sd, samples, bandwidth, backend.model().bytesPerToken());
    }

    private int firstToken() {
        return RandomPrompt.start(backend)[0];
    }

    private int[] randomTokens(int n) {
        return RandomPrompt.tokens(backend, n, random);
    }
}
