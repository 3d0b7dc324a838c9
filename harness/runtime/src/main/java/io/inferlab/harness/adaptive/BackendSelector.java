package io.inferlab.harness.adaptive;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.inferlab.harness.results.RunMetadata;

/**
 * Orders the backends that can run a model into a fallback chain. Pinned backends come first (in
 * pin order); then backends with a stored measurement, best first by the objective (measured
 * numbers override priorities, DESIGN.md); then the unmeasured ones by priority. Backends that
 * are unavailable, excluded by the config, unable to run the model's architecture or tensor types,
 * or measured outside a threshold are left out with the reason. Pure computation over in-memory
 * data: no I/O, so it is cheap enough to run per request.
 */
public final class BackendSelector {
    private final SelectionConfig config;

    public BackendSelector(SelectionConfig config) {
        this.config = config;
    }

    public Selection select(RunMetadata.Model model, List<Candidate> candidates, StoredMeasurements measurements,
                            Objective objective) {
        SelectionConfig.Effective eff = config.forModel(model);
        List<Selection.Exclusion> excluded = new ArrayList<>();
        List<Ranked> pinned = new ArrayList<>();
        List<Ranked> measured = new ArrayList<>();
        List<Ranked> unmeasured = new ArrayList<>();
        for (Candidate c : candidates) {
            String why = exclusion(c, model, eff, measurements);
            if (why != null) {
                excluded.add(new Selection.Exclusion(c.id(), why));
                continue;
            }
            int priority = eff.priorities().getOrDefault(c.id(), DefaultPriorities.of(c.id(), c.acceleration(), model.tensorTypes()));
            Ranked r = new Ranked(c, measurements.of(c.id()).orElse(null), priority);
            (eff.pin().contains(c.id()) ? pinned : r.measurement != null ? measured : unmeasured).add(r);
        }
        pinned.sort(Comparator.comparingInt(r -> eff.pin().indexOf(r.candidate.id())));
        measured.sort(measuredOrder(objective, measured));
        unmeasured.sort(Comparator.comparingInt((Ranked r) -> r.priority).thenComparing(r -> r.candidate.id()));

        List<Selection.Entry> chain = new ArrayList<>();
        for (Ranked r : pinned) {
            chain.add(entry(r, "pinned by the selection config" + (r.measurement != null ? "; measured " + numbers(r.measurement) : "")));
        }
        for (int i = 0; i < measured.size(); i++) {
            Ranked r = measured.get(i);
            String why = "measured " + numbers(r.measurement) + " in run " + r.measurement.run();
            if (i + 1 < measured.size()) {
                why += "; " + comparison(objective, r, measured.get(i + 1));
            }
            if (!unmeasured.isEmpty() && i == measured.size() - 1) {
                why += "; measured backends rank before unmeasured ones";
            }
            chain.add(entry(r, why));
        }
        for (Ranked r : unmeasured) {
            chain.add(entry(r, "no stored measurement for this model on this host; default priority " + r.priority
                    + (eff.priorities().containsKey(r.candidate.id()) ? " (from the selection config)" : "") + " (lower first)"));
        }
        return new Selection(objective, chain, excluded, measurements.skipped());
    }

    private String exclusion(Candidate c, RunMetadata.Model model, SelectionConfig.Effective eff,
                                    StoredMeasurements measurements) {
        if (!c.available()) {
            return "unavailable: " + c.reason();
        }
        if (eff.exclude().contains(c.id())) {
            return "excluded by the selection config";
        }
        BackendSupport support = config.backends().getOrDefault(c.id(), BackendSupport.BUILT_IN.get(c.id()));
        if (support != null) {
            String refusal = support.refusal(model.architecture(), model.tensorTypes());
            if (refusal != null) {
                return "backend " + refusal;
            }
        }
        return measurements.of(c.id()).map(eff.thresholds()::violation).orElse(null);
    }

    private static Comparator<Ranked> measuredOrder(Objective objective, List<Ranked> all) {
        Comparator<Ranked> byPriority = Comparator.comparingInt((Ranked r) -> r.priority).thenComparing(r -> r.candidate.id());
        return switch (objective) {
            // Missing numbers sort last: a backend known to be fast beats one not measured on that axis.
            case THROUGHPUT -> Comparator.comparing((Ranked r) -> r.measurement.decodeTokensPerSecond(),
                    Comparator.nullsLast(Comparator.reverseOrder())).thenComparing(byPriority);
            case LATENCY -> Comparator.comparing((Ranked r) -> r.measurement.ttftMs(), Comparator.nullsLast(Comparator.<Double>naturalOrder()))
                    .thenComparing(r -> r.measurement.tpotMs(), Comparator.nullsLast(Comparator.<Double>naturalOrder()))
                    .thenComparing(byPriority);
            case BALANCED -> {
                Map<Ranked, Double> score = balancedScores(all);
                yield Comparator.comparing((Ranked r) -> score.get(r), Comparator.reverseOrder()).thenComparing(byPriority);
            }
        };
    }

    /**
     * Balanced: decode tokens/s relative to the best plus the best TTFT relative to this one, each
     * in [0, 1] and weighted equally; a missing number scores 0 on its half.
     */
    private static Map<Ranked, Double> balancedScores(List<Ranked> all) {
        double bestDecode = all.stream().map(r -> r.measurement.decodeTokensPerSecond()).filter(v -> v != null && v > 0)
                .mapToDouble(Double::doubleValue).max().orElse(0);
        double bestTtft = all.stream().map(r -> r.measurement.ttftMs()).filter(v -> v != null && v > 0)
                .mapToDouble(Double::doubleValue).min().orElse(0);
        Map<Ranked, Double> out = new HashMap<>();
        for (Ranked r : all) {
            Double d = r.measurement.decodeTokensPerSecond();
            Double t = r.measurement.ttftMs();
            double s = (d != null && bestDecode > 0 ? d / bestDecode : 0) + (t != null && t > 0 ? bestTtft / t : 0);
            out.put(r, s / 2);
        }
        return out;
    }

    private static String comparison(Objective objective, Ranked a, Ranked b) {
        Measurement x = a.measurement;
        Measurement y = b.measurement;
        return switch (objective) {
            case THROUGHPUT -> x.decodeTokensPerSecond() != null && y.decodeTokensPerSecond() != null
                    ? String.format(Locale.ROOT, "%.2fx the decode tokens/s of %s", x.decodeTokensPerSecond() / y.decodeTokensPerSecond(), b.candidate.id())
                    : "decode tokens/s known, " + b.candidate.id() + "'s not";
            case LATENCY -> x.ttftMs() != null && y.ttftMs() != null
                    ? String.format(Locale.ROOT, "TTFT %.1f ms vs %.1f ms for %s", x.ttftMs(), y.ttftMs(), b.candidate.id())
                    : "TTFT known, " + b.candidate.id() + "'s not";
            case BALANCED -> "higher balanced score (decode tokens/s and TTFT, each relative to the best) than " + b.candidate.id();
        };
    }

    static String numbers(Measurement m) {
        List<String> parts = new ArrayList<>();
        if (m.decodeTokensPerSecond() != null) {
            parts.add(String.format(Locale.ROOT, "decode %.1f tok/s", m.decodeTokensPerSecond()));
        }
        if (m.ttftMs() != null) {
            parts.add(String.format(Locale.ROOT, "TTFT p50 %.1f ms", m.ttftMs()));
        }
        if (m.tpotMs() != null) {
            parts.add(String.format(Locale.ROOT, "TPOT %.2f ms", m.tpotMs()));
        }
        return String.join(", ", parts);
    }

    private static Selection.Entry entry(Ranked r, String reason) {
        return new Selection.Entry(r.candidate.id(), r.candidate.acceleration(), r.measurement, r.priority, reason);
    }

    /** A candidate in the running, with what decides its place. Identity equality on purpose (map key). */
    private static final class Ranked {
        final Candidate candidate;
        final Measurement measurement;
        final int priority;

        Ranked(Candidate candidate, Measurement measurement, int priority) {
            this.candidate = candidate;
            this.measurement = measurement;
            this.priority = priority;
        }
    }
}
