package io.inferlab.harness.adaptive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.harness.results.ResultStore;
import io.inferlab.harness.results.RunMetadata;

/**
 * The stored measurements that apply to one model on one host, newest run first, at most one per
 * backend (the newest run that measured it). Loading reads files; selection afterwards only reads
 * this in-memory view, which is what keeps a selection well under a millisecond.
 *
 * @param byBackend backend id to its newest measurement
 * @param skipped   each run or entry that was not used, with the reason (also logged)
 */
public record StoredMeasurements(Map<String, Measurement> byBackend, List<String> skipped) {
    private static final Logger LOG = LoggerFactory.getLogger(StoredMeasurements.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String DECODE = "io.inferlab.jmh.DecodeBench.decode";
    static final String PREFILL = "io.inferlab.jmh.PrefillBench.prefill";
    static final String SUITE = "io.inferlab.jmh.SuiteBench.runSuite";

    public StoredMeasurements {
        byBackend = Map.copyOf(byBackend);
        skipped = List.copyOf(skipped);
    }

    public static StoredMeasurements none() {
        return new StoredMeasurements(Map.of(), List.of());
    }

    public Optional<Measurement> of(String backend) {
        return Optional.ofNullable(byBackend.get(backend));
    }

    /** Reads {@code store}, keeping runs of host {@code fingerprint} that measured {@code model}. */
    public static StoredMeasurements load(ResultStore store, String fingerprint, RunMetadata.Model model) {
        Map<String, Measurement> found = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (ResultStore.StoredRun run : runs(store, skipped)) { // newest first
            String name = run.dir().getFileName().toString();
            RunMetadata m = run.metadata();
            if (!fingerprint.equals(m.host().fingerprint())) {
                skip(skipped, name, "host fingerprint " + m.host().fingerprint() + " is not this machine's " + fingerprint);
                continue;
            }
            String why = ModelIdentity.mismatch(model, m.model());
            if (why != null) {
                skip(skipped, name, why);
                continue;
            }
            JsonNode entries;
            try {
                entries = JSON.readTree(run.result().toFile());
            } catch (IOException e) {
                skip(skipped, name, "cannot read " + ResultStore.RESULT_FILE + ": " + e.getMessage());
                continue;
            }
            if (!entries.isArray()) {
                skip(skipped, name, ResultStore.RESULT_FILE + " is not a JSON array of JMH results");
                continue;
            }
            for (Map.Entry<String, Measurement> e : parse(name, m.time(), entries, skipped).entrySet()) {
                found.putIfAbsent(e.getKey(), e.getValue()); // an older run never overrides a newer one
            }
        }
        return new StoredMeasurements(found, skipped);
    }

    /** The store's complete runs, newest first; a folder that is not one is named in {@code skipped}. */
    private static List<ResultStore.StoredRun> runs(ResultStore store, List<String> skipped) {
        List<ResultStore.StoredRun> runs = new ArrayList<>();
        if (!Files.isDirectory(store.root())) {
            return runs;
        }
        try (Stream<Path> dirs = Files.list(store.root())) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).toList()) {
                Optional<ResultStore.StoredRun> run = ResultStore.read(dir);
                if (run.isPresent()) {
                    runs.add(run.get());
                } else {
                    skip(skipped, dir.getFileName().toString(), "corrupt or partial run: " + ResultStore.RESULT_FILE + " or "
                            + ResultStore.METADATA_FILE + " is missing or unreadable (details in the log)");
                }
            }
        } catch (IOException e) {
            skip(skipped, store.root().toString(), "cannot list the result store: " + e.getMessage());
        }
        runs.sort(Comparator.comparing((ResultStore.StoredRun r) -> r.metadata().time()).reversed());
        return runs;
    }

    /** One run's numbers per backend: decode tokens/s, TTFT p50 and TPOT (suite preferred). */
    static Map<String, Measurement> parse(String run, String time, JsonNode entries, List<String> skipped) {
        Map<String, Double> decode = new LinkedHashMap<>();
        Map<String, Double> ttft = new LinkedHashMap<>();
        Map<String, Double> tpot = new LinkedHashMap<>();
        Map<String, Double> prefillTtft = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode e : entries) {
            index++;
            String bench = e.path("benchmark").asText("");
            String backend = e.path("params").path("backend").asText("");
            JsonNode metrics = e.path("secondaryMetrics");
            if (backend.isEmpty() || !metrics.isObject()) {
                skip(skipped, run, "entry " + index + " (" + bench + ") lacks params.backend or secondaryMetrics");
                continue;
            }
            switch (bench) {
                case DECODE -> number(metrics, "tokens").ifPresent(v -> decode.put(backend, v));
                case PREFILL, Calibration.PREFILL -> number(metrics, "ttft_p50_ms").ifPresent(v -> prefillTtft.put(backend, v));
                case Calibration.DECODE -> {
                    number(metrics, "tokens").ifPresent(v -> decode.put(backend, v));
                    number(metrics, "tpot_mean_ms").filter(v -> v > 0).ifPresent(v -> tpot.put(backend, v));
                }
                case SUITE -> {
                    number(metrics, "ttft_p50_ms").ifPresent(v -> ttft.put(backend, v));
                    number(metrics, "tpot_mean_ms").filter(v -> v > 0).ifPresent(v -> tpot.put(backend, v));
                }
                default -> { } // other benchmarks (kernels, bandwidth) say nothing about a backend's serving speed
            }
        }
        Map<String, Measurement> out = new LinkedHashMap<>();
        for (String b : union(decode, ttft, tpot, prefillTtft)) {
            if (!tpot.containsKey(b) && decode.containsKey(b) && decode.get(b) > 0) {
                tpot.put(b, 1000.0 / decode.get(b)); // without a suite, a decode step's time is the TPOT
            }
            out.put(b, new Measurement(b, decode.get(b), ttft.getOrDefault(b, prefillTtft.get(b)), tpot.get(b), run, time));
        }
        return out;
    }

    @SafeVarargs
    private static List<String> union(Map<String, Double>... maps) {
        List<String> keys = new ArrayList<>();
        for (Map<String, Double> m : maps) {
            m.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        }
        return keys;
    }

    private static Optional<Double> number(JsonNode metrics, String name) {
        JsonNode score = metrics.path(name).path("score");
        if (!score.isNumber()) {
            return Optional.empty();
        }
        double v = score.asDouble();
        return Double.isFinite(v) && v >= 0 ? Optional.of(v) : Optional.empty();
    }

    private static void skip(List<String> skipped, String run, String reason) {
        LOG.info("selection ignores stored run {}: {}", run, reason);
        skipped.add(run + ": " + reason);
    }
}
