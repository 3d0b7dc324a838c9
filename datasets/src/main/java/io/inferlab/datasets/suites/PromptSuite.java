package io.inferlab.datasets.suites;

import java.time.Duration;
import java.util.List;

/**
 * A benchmark workload: prompts run {@code repetitions} times each, every request generating
 * {@code minNewTokens} tokens (end-of-sequence ignored until then, so backends produce equal work),
 * bounded by a per-request timeout, and judged against a goodput SLO.
 */
public record PromptSuite(String name, String description, int repetitions, int minNewTokens, Duration timeout,
                          Slo slo, List<Prompt> prompts) {
    public PromptSuite {
        prompts = List.copyOf(prompts);
    }

    /** One prompt of a suite; {@code id} is stable across versions so results can be compared. */
    public record Prompt(String id, String text) {
    }

    /**
     * Service-level objective for goodput (vLLM's definition): a request counts as good when its
     * TTFT and its TPOT are both within these limits.
     */
    public record Slo(double ttftMs, double tpotMs) {
        public boolean isMetBy(double ttftNs, double tpotNs) {
            return ttftNs <= ttftMs * 1e6 && tpotNs <= tpotMs * 1e6;
        }
    }

    /** Requests one pass over the suite makes. */
    public int requestCount() {
        return repetitions * prompts.size();
    }
}
