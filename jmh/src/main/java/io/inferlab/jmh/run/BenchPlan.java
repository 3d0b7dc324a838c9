package io.inferlab.jmh.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a bench run measures and where it writes.
 *
 * @param model      preset name or GGUF path
 * @param type       tensor type of a preset model (ignored for a path)
 * @param suites     built-in suite names or suite files
 * @param matvec     also run MatvecBench (per tensor type kernel bandwidth)
 */
public record BenchPlan(BenchProfile profile, List<BenchTarget> targets, List<String> suites, String model, String type,
                        int promptTokens, int genTokens, boolean matvec, Path outDir) {
    public BenchPlan {
        Objects.requireNonNull(profile, "profile");
        targets = List.copyOf(targets);
        suites = List.copyOf(suites);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("nothing to benchmark: no available backend matches the request");
        }
        if (promptTokens < 1 || genTokens < 1) {
            throw new IllegalArgumentException("prompt and generated token counts must be >= 1");
        }
    }
}
