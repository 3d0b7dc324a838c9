package io.inferlab.harness.adaptive;

import java.util.List;
import java.util.stream.Collectors;

import io.inferlab.api.BackendFailedException;

/** Every backend of the chain failed one request; the message lists each failure. */
public final class AllBackendsFailedException extends BackendFailedException {
    private final List<FallbackEvent> failures;

    public AllBackendsFailedException(List<FallbackEvent> failures, Throwable last) {
        super("every backend of the chain failed: " + failures.stream()
                .map(f -> f.backend() + " (" + f.kind().name().toLowerCase() + ": " + f.message() + ")")
                .collect(Collectors.joining("; ")), last);
        this.failures = List.copyOf(failures);
    }

    public List<FallbackEvent> failures() {
        return failures;
    }
}
