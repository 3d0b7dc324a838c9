package io.inferlab.harness.adaptive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.inferlab.api.GenerationRequest;
import io.inferlab.api.GenerationResult;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.TokenListener;
import io.inferlab.harness.results.ResultStore;
import io.inferlab.harness.results.RunMetadata;

/**
 * A short calibration for when no stored measurement matches: per backend, one untimed warm-up
 * request, then a few prefills of
 * {@link #PROMPT_TOKENS} tokens (TTFT) and a few decodes of {@link #DECODE_TOKENS} tokens (decode
 * tokens/s, TPOT), each request limited by what is left of the time budget. It is not a benchmark
 * (no warm-up iterations, no forks); it only has to rank backends that were never measured. The
 * run is stored like any other (profile {@code calibration}), in the JMH result layout with
 * benchmark names of its own, so the selector reads it the same way and reports can tell it apart.
 */
public final class Calibration {
    public static final String PROFILE = "calibration";
    public static final String DECODE = "io.inferlab.harness.adaptive.Calibration.decode";
    public static final String PREFILL = "io.inferlab.harness.adaptive.Calibration.prefill";
    static final int PROMPT_TOKENS = 32;
    static final int DECODE_TOKENS = 16;
    static final int REPEATS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(Calibration.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BackendOpener opener;
    private final ResultStore store;
    private final Duration budgetPerBackend;

    public Calibration(BackendOpener opener, ResultStore store, Duration budgetPerBackend) {
        this.opener = opener;
        this.store = store;
        this.budgetPerBackend = budgetPerBackend;
    }

    /** What one backend measured; {@code error} says why it has no numbers (null when it has them). */
    public record Result(String backend, Double decodeTokensPerSecond, Double ttftMs, Double tpotMs, String error) {
    }

    /**
     * Calibrates each backend in turn and stores the run; returns each backend's outcome and the
     * stored run's folder (null when no backend produced a number, so nothing was stored).
     */
    public Outcome run(List<String> backends, RunMetadata.Host host, RunMetadata.Model model) throws IOException {
        Instant start = Instant.now();
        List<Result> results = new ArrayList<>();
        Map<String, String> versions = new LinkedHashMap<>();
        for (String id : backends) {
            Result r = calibrate(id);
            results.add(r);
            if (r.error() == null) {
                versions.put(id, "calibration");
            } else {
                LOG.info("calibration of backend '{}' failed: {}", id, r.error());
            }
        }
        if (versions.isEmpty()) {
            return new Outcome(results, null);
        }
        Path tmp = Files.createTempFile("calibration-", ".json");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), entries(results));
            RunMetadata meta = new RunMetadata(RunMetadata.SCHEMA_VERSION, DateTimeFormatter.ISO_INSTANT.format(start), null,
                    PROFILE, host, model, versions);
            return new Outcome(results, store.save(tmp, meta, start));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public record Outcome(List<Result> results, Path storedRun) {
        public Outcome {
            results = List.copyOf(results);
        }
    }

    private Result calibrate(String id) {
        long deadline = System.nanoTime() + budgetPerBackend.toNanos();
        try (InferenceBackend b = opener.open(id)) {
            int[] prompt = promptOf(b);
            double[] ttft = new double[REPEATS];
            double[] decode = new double[REPEATS];
            double[] tpot = new double[REPEATS];
            // One untimed request first: the first call pays for class loading, JIT and kernel
            // compilation, which would otherwise rank a JIT-compiled backend below its real speed.
            b.generate(bounded(GenerationRequest.ofTokens(prompt, DECODE_TOKENS).withStopAtEos(false), deadline), TokenListener.NONE);
            int done = 0;
            for (; done < REPEATS; done++) {
                GenerationResult p = b.generate(bounded(GenerationRequest.ofTokens(prompt, 1), deadline), TokenListener.NONE);
                GenerationResult d = b.generate(bounded(GenerationRequest.ofTokens(Arrays.copyOf(prompt, 4), DECODE_TOKENS)
                        .withStopAtEos(false), deadline), TokenListener.NONE);
                if (d.timings().decodeTokensPerSecond() <= 0) {
                    break; // ran out of budget mid-request: keep the complete repeats only
                }
                ttft[done] = p.timings().ttftNs() / 1e6;
                decode[done] = d.timings().decodeTokensPerSecond();
                tpot[done] = d.timings().tpotNs() / 1e6;
                if (System.nanoTime() > deadline) {
                    done++;
                    break;
                }
            }
            if (done == 0) {
                return new Result(id, null, null, null, "no complete prefill and decode within " + budgetPerBackend.toMillis() + " ms");
            }
            return new Result(id, median(decode, done), median(ttft, done), median(tpot, done), null);
        } catch (RuntimeException | OutOfMemoryError e) {
            return new Result(id, null, null, null, e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    private static GenerationRequest bounded(GenerationRequest r, long deadline) {
        long left = Math.max(1_000_000, deadline - System.nanoTime());
        return r.withTimeout(Duration.ofNanos(left));
    }

    /** {@link #PROMPT_TOKENS} tokens of ordinary text, so every tokenizer yields valid ids. */
    private static int[] promptOf(InferenceBackend b) {
        StringBuilder text = new StringBuilder("Once upon a time");
        int[] tokens = b.encode(text.toString());
        while (tokens.length < PROMPT_TOKENS) {
            text.append(" there was a little robot who liked to count the stars in the sky");
            tokens = b.encode(text.toString());
        }
        return Arrays.copyOf(tokens, PROMPT_TOKENS);
    }

    private static double median(double[] v, int n) {
        double[] s = Arrays.copyOf(v, n);
        Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static ArrayNode entries(List<Result> results) {
        ArrayNode a = JSON.createArrayNode();
        for (Result r : results) {
            if (r.error() != null) {
                continue;
            }
            ObjectNode d = a.addObject();
            d.put("benchmark", DECODE);
            d.put("mode", PROFILE);
            d.putObject("params").put("backend", r.backend()).put("genTokens", String.valueOf(DECODE_TOKENS));
            ObjectNode dm = d.putObject("secondaryMetrics");
            dm.putObject("tokens").put("score", r.decodeTokensPerSecond()).put("scoreUnit", "tokens/s");
            dm.putObject("tpot_mean_ms").put("score", r.tpotMs()).put("scoreUnit", "ms");
            ObjectNode p = a.addObject();
            p.put("benchmark", PREFILL);
            p.put("mode", PROFILE);
            p.putObject("params").put("backend", r.backend()).put("promptTokens", String.valueOf(PROMPT_TOKENS));
            p.putObject("secondaryMetrics").putObject("ttft_p50_ms").put("score", r.ttftMs()).put("scoreUnit", "ms");
        }
        return a;
    }
}
