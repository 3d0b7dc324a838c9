package io.inferlab.jmh;

import java.util.SplittableRandom;
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

/**
 * llama-bench's {@code ppN}: prefill of an N-token prompt, reported as tokens/s (the
 * {@code tokens} secondary metric; throughput mode, so JMH divides the counter by time) and
 * prompts/s. Pitfalls avoided: the prompt is random
 * token ids of exactly N tokens (no tokenizer in the loop, no variable length), each invocation
 * starts from an empty KV cache (no reuse of earlier positions), the one sampled token is
 * returned to JMH (no dead-code elimination), and model loading happens in the trial set-up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class PrefillBench {
    @Param("128")
    public int promptTokens;

    private GenerationRequest request;

    @Setup(Level.Trial)
    public void prompt(BackendState state) {
        request = GenerationRequest.ofTokens(RandomPrompt.tokens(state.inference, promptTokens, new SplittableRandom(42)), 1)
                .withStopAtEos(false);
    }

    @Benchmark
    public int prefill(BackendState state, TokenCounters counters) {
        GenerationResult r = state.inference.generate(request, (t, p) -> { });
        InferenceMetrics.record(r);
        counters.tokens += promptTokens;
        return r.tokens()[0];
    }
}
