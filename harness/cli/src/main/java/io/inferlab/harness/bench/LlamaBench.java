package io.inferlab.harness.bench;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * {@code ppN} for each size in {@code promptSizes}, then {@code tgN} for each in
     * {@code genSizes}, on several backends with the repetitions taken in turns: repetition 1 of
     * every backend, then repetition 2 of every backend, and so on. On a shared machine the load
     * of other jobs drifts within minutes (read bandwidth here moved between 30 and 53 GB/s in
     * one run), and run one after the other the backends would meet different minutes; in turns,
     * each backend's repetitions spread over the same minutes as the others'. {@code bandwidth}
     * (bytes/s) is measured before the first repetition of each tg test and after every
     * repetition, whichever backend ran it; a repetition's roofline bandwidth is the mean of the
     * two measurements around it, the same minutes as the tokens/s it is compared with (a
     * supplier of 0 gives no roofline). One backend is a list of one.
     *
     * @return per backend in the given order, its pp results then its tg results, sizes in the given order
     */
    public static List<BenchResult> run(List<LlamaBench> benches, List<Integer> promptSizes, List<Integer> genSizes,
                                        int repetitions, DoubleSupplier bandwidth) {
        int n = benches.size();
        List<List<BenchResult>> perBench = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            perBench.add(new ArrayList<>());
        }
        for (int tokens : promptSizes) {
            double[][] samples = new double[n][repetitions];
            for (int r = 0; r < repetitions; r++) {
                for (int b = 0; b < n; b++) {
                    samples[b][r] = benches.get(b).prefillOnce(tokens);
                }
            }
            for (int b = 0; b < n; b++) {
                perBench.get(b).add(benches.get(b).result("pp" + tokens, tokens, samples[b], new double[0]));
            }
        }
        for (int tokens : genSizes) {
            double[][] samples = new double[n][repetitions];
            double[][] around = new double[n][repetitions];
            double before = bandwidth.getAsDouble();
            for (int r = 0; r < repetitions; r++) {
                for (int b = 0; b < n; b++) {
                    samples[b][r] = benches.get(b).decodeOnce(tokens);
                    double after = bandwidth.getAsDouble();
                    around[b][r] = (before + after) / 2;
                    before = after;
                }
            }
            for (int b = 0; b < n; b++) {
                perBench.get(b).add(benches.get(b).result("tg" + tokens, tokens, samples[b], around[b]));
            }
        }
        return perBench.stream().flatMap(List::stream).toList();
    }

    /** One {@code ppN} repetition: prefill tokens/s of N random tokens from an empty cache. */
    private double prefillOnce(int tokens) {
        GenerationResult res = backend.generate(
                GenerationRequest.ofTokens(randomTokens(tokens), 1).withStopAtEos(false), (t, p) -> { });
        return res.timings().prefillTokensPerSecond();
    }

    /** One {@code tgN} repetition: decode tokens/s of N tokens after a one-token context. */
    private double decodeOnce(int tokens) {
        GenerationResult res = backend.generate(
                GenerationRequest.ofTokens(new int[] {firstToken()}, tokens).withStopAtEos(false), (t, p) -> { });
        return res.timings().decodeTokensPerSecond();
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
