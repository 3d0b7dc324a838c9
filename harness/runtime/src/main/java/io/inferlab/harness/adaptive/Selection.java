package io.inferlab.harness.adaptive;

import java.util.List;

import io.inferlab.api.AccelerationType;

/**
 * The selector's answer: an ordered fallback chain (first = use this) and the backends left out.
 *
 * @param skippedRuns stored runs that were not used, with the reason
 */
public record Selection(Objective objective, List<Entry> chain, List<Exclusion> excluded, List<String> skippedRuns) {
    public Selection {
        chain = List.copyOf(chain);
        excluded = List.copyOf(excluded);
        skippedRuns = List.copyOf(skippedRuns);
    }

    /**
     * One position of the chain.
     *
     * @param measurement the stored numbers this position rests on, or null when it fell back to priority
     * @param priority    the default (or configured) priority
     * @param reason      why it is at this position, in words
     */
    public record Entry(String backend, AccelerationType acceleration, Measurement measurement, int priority, String reason) {
    }

    /** A backend that is not in the chain, and why. */
    public record Exclusion(String backend, String reason) {
    }

    public List<String> backendIds() {
        return chain.stream().map(Entry::backend).toList();
    }
}
