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

/**
 * llama-bench's {@code tgN}: generate N tokens from a one-token context, reported as tokens/s
 * (the {@code tokens} secondary metric; throughput mode, so JMH divides the counter by time) and
 * generations/s. Pitfalls avoided: end-of-sequence
 * is ignored so every invocation does exactly N decode steps (a random model may emit EOS early),
 * greedy sampling keeps the work deterministic, and the generated tokens are returned to JMH.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class DecodeBench {
    @Param("64")
    public int genTokens;

    private GenerationRequest request;

    @Setup(Level.Trial)
    public void prompt(BackendState state) {
        request = GenerationRequest.ofTokens(RandomPrompt.start(state.inference), genTokens).withStopAtEos(false);
    }

    @Benchmark
    public int[] decode(BackendState state, TokenCounters counters) {
        GenerationResult r = state.inference.generate(request, (t, p) -> { });
        InferenceMetrics.record(r);
        counters.tokens += r.tokens().length;
        return r.tokens();
    }
}
