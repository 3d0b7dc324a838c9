package io.inferlab.harness.adaptive;

import java.time.Duration;

/**
 * How {@link AdaptiveInference} treats failures.
 *
 * @param attemptTimeout      longest one backend may take for one request before the runtime
 *                            cancels it and moves on (null = no limit)
 * @param demoteAfterFailures consecutive failures after which a backend is demoted
 * @param cooldown            how long a demoted backend is tried only when nothing else is left
 */
public record AdaptiveOptions(Duration attemptTimeout, int demoteAfterFailures, Duration cooldown) {
    public AdaptiveOptions {
        if (attemptTimeout != null && (attemptTimeout.isNegative() || attemptTimeout.isZero())) {
            throw new IllegalArgumentException("attemptTimeout must be positive, got " + attemptTimeout);
        }
        if (demoteAfterFailures < 1) {
            throw new IllegalArgumentException("demoteAfterFailures must be >= 1, got " + demoteAfterFailures);
        }
        if (cooldown == null || cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown must be >= 0, got " + cooldown);
        }
    }

    public static AdaptiveOptions defaults() {
        return new AdaptiveOptions(null, 3, Duration.ofSeconds(60));
    }
}
