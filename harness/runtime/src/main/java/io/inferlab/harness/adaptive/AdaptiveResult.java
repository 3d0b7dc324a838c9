package io.inferlab.harness.adaptive;

import java.util.List;

import io.inferlab.api.GenerationResult;

/** A completed request: the result, the backend that produced it, and the fallbacks on the way. */
public record AdaptiveResult(GenerationResult result, String backend, List<FallbackEvent> fallbacks) {
    public AdaptiveResult {
        fallbacks = List.copyOf(fallbacks);
    }
}
