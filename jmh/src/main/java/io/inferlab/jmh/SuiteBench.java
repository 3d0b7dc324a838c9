package io.inferlab.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.datasets.suites.PromptSuite;
import io.inferlab.datasets.suites.PromptSuites;

/**
 * End-to-end requests of a prompt suite: one invocation is one pass over the suite (every prompt,
 * {@code repetitions} times), and its time is the primary score. Each request's TTFT, TPOT, ITL,
 * E2EL, output tokens, success and goodput (against the suite's SLO) become secondary metrics
 * through {@link InferenceMetricsProfiler}. Pitfalls avoided: a failed or timed-out request is
 * counted, not thrown, so one failure does not abort the run; every request generates exactly the
 * suite's minimum new tokens (EOS ignored), so backends do equal work; warm-up passes let the JIT
 * compile before measurement (single-shot mode alone would measure the interpreter).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class SuiteBench {
    /** A built-in suite name or a suite JSON file. */
    @Param({"quick_qa", "reasoning_tasks", "code_generation", "creative_writing"})
    public String suite;

    private PromptSuite prompts;

    @Setup(Level.Trial)
    public void load() {
        prompts = PromptSuites.resolve(suite);
    }

    @Benchmark
    public long runSuite(BackendState state) {
        long tokens = 0;
        for (int rep = 0; rep < prompts.repetitions(); rep++) {
            for (PromptSuite.Prompt p : prompts.prompts()) {
                GenerationRequest request = GenerationRequest.greedy(p.text(), prompts.minNewTokens())
                        .withStopAtEos(false).withTimeout(prompts.timeout());
                long start = System.nanoTime();
                try {
                    GenerationResult r = state.inference.generate(request, (t, piece) -> { });
                    InferenceMetrics.record(r, prompts.slo().isMetBy(r.timings().ttftNs(), r.timings().tpotNs()));
                    tokens += r.tokens().length;
                } catch (RuntimeException e) {
                    InferenceMetrics.recordFailure(System.nanoTime() - start);
                }
            }
        }
        return tokens;
    }
}
