package io.inferlab.harness.adaptive;

import java.time.Instant;

/**
 * One fallback: backend {@code backend} failed request {@code request} for {@code kind}; the time
 * from the start of that attempt (opening included) to the failure is {@code timeLostNs}.
 *
 * @param demoted whether this failure demoted the backend for the cool-down period
 */
public record FallbackEvent(long request, String backend, FailureKind kind, String message, long timeLostNs, Instant at,
                            boolean demoted) {
}
