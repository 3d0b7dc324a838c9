package io.inferlab.harness.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import io.inferlab.api.GenerationTimings;

/** The {@code timings} object of {@code --json} output, in vLLM's metric names with units. */
final class TimingsJson {
    private TimingsJson() {
    }

    static Map<String, Object> of(GenerationTimings t) {
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("prompt_tokens", t.promptTokens());
        timings.put("prefill_ns", t.prefillNs());
        timings.put("ttft_ns", t.ttftNs());
        timings.put("tpot_ns", t.tpotNs());
        timings.put("itl_ns", t.itlNs());
        timings.put("e2el_ns", t.e2eNs());
        timings.put("prefill_tokens_per_second", t.prefillTokensPerSecond());
        timings.put("decode_tokens_per_second", t.decodeTokensPerSecond());
        return timings;
    }
}
