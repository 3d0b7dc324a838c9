package io.inferlab.harness.cli;

import java.io.PrintWriter;

import io.inferlab.api.InferenceBackend;
import io.inferlab.harness.bench.LlamaBench;
import picocli.CommandLine.Option;

/**
 * The untimed warm-up run of commands that time one request ({@code generate}, {@code chat}): a
 * 16-token prompt and 8 generated tokens, like llama.cpp's warm-up run. Without it the JIT
 * compiles the kernels during the timed request, and its timings describe the compiler: 1b Q8_0
 * with a 3-token prompt reported a TTFT of 2.3-2.8 s, and 0.17-0.18 s after the warm-up, which
 * itself took about a second (2026-11-27, 2 cores).
 */
final class WarmupMixin {
    static final int PROMPT_TOKENS = 16;
    static final int GENERATED_TOKENS = 8;

    @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "First run a short untimed generation, so that the timed one runs compiled kernels "
                    + "(like llama.cpp's warm-up run; default: on, --no-warmup skips it).")
    boolean enabled;

    /** Runs the warm-up on {@code backend} when enabled; its duration in ns (0 when skipped). */
    long run(InferenceBackend backend, int threads) {
        if (!enabled) {
            return 0;
        }
        long start = System.nanoTime();
        new LlamaBench(backend, threads).warmUp(PROMPT_TOKENS, GENERATED_TOKENS);
        return System.nanoTime() - start;
    }

    /** Says on {@code err} how long the warm-up took, when there was one. */
    void report(PrintWriter err, long ns) {
        if (enabled) {
            err.printf("warm-up: %.1f s, untimed (--no-warmup skips it)%n", ns / 1e9);
        }
    }
}
