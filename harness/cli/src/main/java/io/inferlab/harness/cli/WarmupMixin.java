package io.inferlab.harness.cli;

import java.io.PrintWriter;

import io.inferlab.api.GenerationRequest;
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
    /** Characters of the prompt the warm-up of {@code --backend auto} feeds: about 16 tokens of English. */
    static final int PROMPT_CHARS = 64;

    @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "First run a short untimed generation, so that the timed one runs compiled kernels "
                    + "(like llama.cpp's warm-up run; default: on, --no-warmup skips it).")
    boolean enabled;

    /** Runs the warm-up on {@code backend} when enabled; its duration in ns (0 when skipped). */
    long run(InferenceBackend backend, int threads) {
        return run(() -> new LlamaBench(backend, threads).warmUp(PROMPT_TOKENS, GENERATED_TOKENS));
    }

    /** Runs {@code warmUp} when enabled; its duration in ns (0 when skipped). */
    long run(Runnable warmUp) {
        if (!enabled) {
            return 0;
        }
        long start = System.nanoTime();
        warmUp.run();
        return System.nanoTime() - start;
    }

    /**
     * The warm-up request where no backend is open yet to draw random tokens from ({@code
     * --backend auto}): the prompt's first {@link #PROMPT_CHARS} characters, then
     * {@link #GENERATED_TOKENS} tokens whatever comes.
     */
    static GenerationRequest requestFor(String prompt) {
        String start = prompt.codePoints().limit(PROMPT_CHARS)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return GenerationRequest.greedy(start, GENERATED_TOKENS).withStopAtEos(false);
    }

    /** Says on {@code err} how long the warm-up took, when there was one. */
    void report(PrintWriter err, long ns) {
        if (enabled) {
            err.printf("warm-up: %.1f s, untimed (--no-warmup skips it)%n", ns / 1e9);
        }
    }
}
