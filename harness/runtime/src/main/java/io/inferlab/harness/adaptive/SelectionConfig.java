package io.inferlab.harness.adaptive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferlab.harness.results.RunMetadata;

/**
 * The selection configuration file (JSON). Example:
 * <pre>{@code
 * {
 *   "objective": "latency",
 *   "thresholds": { "min_decode_tokens_per_second": 5, "max_ttft_ms": 2000 },
 *   "exclude": ["llamacpp"],
 *   "priorities": { "opencl": 40 },
 *   "backends": { "opencl": { "architectures": ["llama"], "unsupported_tensor_types": ["MXFP4"] } },
 *   "models": [ { "match": "stories260K", "pin": ["cpu"], "thresholds": { "max_ttft_ms": 50 } } ]
 * }
 * }</pre>
 * A model entry applies when its {@code sha256} equals the model's or its {@code match} occurs in
 * the model's path or name; every matching entry applies, later ones winning. Unknown fields are
 * errors (a misspelt "exclude" must not silently do nothing).
 */
public record SelectionConfig(@JsonProperty("objective") String objective,
                              @JsonProperty("thresholds") Thresholds thresholds,
                              @JsonProperty("pin") List<String> pin,
                              @JsonProperty("exclude") List<String> exclude,
                              @JsonProperty("priorities") Map<String, Integer> priorities,
                              @JsonProperty("backends") Map<String, BackendSupport> backends,
                              @JsonProperty("models") List<ModelEntry> models) {

    public static final SelectionConfig DEFAULT = new SelectionConfig(null, null, null, null, null, null, null);

    public SelectionConfig {
        thresholds = thresholds == null ? Thresholds.NONE : thresholds;
        pin = pin == null ? List.of() : List.copyOf(pin);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        priorities = priorities == null ? Map.of() : Map.copyOf(priorities);
        backends = backends == null ? Map.of() : Map.copyOf(backends);
        models = models == null ? List.of() : List.copyOf(models);
    }

    /** Settings for the models an entry matches. */
    public record ModelEntry(@JsonProperty("match") String match,
                             @JsonProperty("sha256") String sha256,
                             @JsonProperty("thresholds") Thresholds thresholds,
                             @JsonProperty("pin") List<String> pin,
                             @JsonProperty("exclude") List<String> exclude,
                             @JsonProperty("priorities") Map<String, Integer> priorities) {
        public ModelEntry {
            pin = pin == null ? List.of() : List.copyOf(pin);
            exclude = exclude == null ? List.of() : List.copyOf(exclude);
            priorities = priorities == null ? Map.of() : Map.copyOf(priorities);
        }

        boolean applies(RunMetadata.Model m) {
            if (sha256 != null && m.sha256() != null) {
                return sha256.equalsIgnoreCase(m.sha256());
            }
            return match != null && ((m.path() != null && m.path().contains(match)) || (m.name() != null && m.name().contains(match)));
        }
    }

    /** The settings in effect for {@code model}: the top level with matching entries applied in order. */
    public record Effective(Thresholds thresholds, List<String> pin, Set<String> exclude, Map<String, Integer> priorities) {
    }

    public Effective forModel(RunMetadata.Model model) {
        Thresholds t = thresholds;
        List<String> p = pin;
        Set<String> ex = new HashSet<>(exclude);
        Map<String, Integer> pr = new java.util.HashMap<>(priorities);
        for (ModelEntry e : models) {
            if (e.applies(model)) {
                t = t.overriddenBy(e.thresholds());
                if (!e.pin().isEmpty()) {
                    p = e.pin();
                }
                ex.addAll(e.exclude());
                pr.putAll(e.priorities());
            }
        }
        return new Effective(t, List.copyOf(p), Set.copyOf(ex), Map.copyOf(pr));
    }

    /** Strict: an unknown key or a null number is a mistake in the file. Built once (an ObjectMapper is
     *  thread-safe once configured, and building one costs far more than reading a small file). */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** Reads and validates {@code file}. */
    public static SelectionConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AdaptiveConfigException("selection config " + file + " does not exist");
        }
        SelectionConfig c;
        try {
            c = JSON.readValue(file.toFile(), SelectionConfig.class);
        } catch (JsonProcessingException e) {
            throw new AdaptiveConfigException("selection config " + file + ": " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")" : ""), e);
        } catch (IOException e) {
            throw new AdaptiveConfigException("cannot read selection config " + file + ": " + e.getMessage(), e);
        }
        if (c == null) {
            throw new AdaptiveConfigException("selection config " + file + " is empty");
        }
        c.validate(file.toString());
        return c;
    }

    /** Checks what JSON types cannot: values in range, no backend both pinned and excluded. */
    public void validate(String where) {
        if (objective != null) {
            Objective.parse(objective);
        }
        thresholds.validate(where + ": thresholds");
        checkLists(where + ": ", pin, exclude, priorities);
        for (int i = 0; i < models.size(); i++) {
            ModelEntry e = models.get(i);
            String at = where + ": models[" + i + "]";
            if ((e.match() == null || e.match().isBlank()) && (e.sha256() == null || e.sha256().isBlank())) {
                throw new AdaptiveConfigException(at + " needs \"match\" (part of the model's path or name) or \"sha256\"");
            }
            if (e.sha256() != null && !e.sha256().matches("[0-9a-fA-F]{64}")) {
                throw new AdaptiveConfigException(at + ".sha256 must be 64 hex digits, got '" + e.sha256() + "'");
            }
            if (e.thresholds() != null) {
                e.thresholds().validate(at + ".thresholds");
            }
            checkLists(at + ".", e.pin(), e.exclude(), e.priorities());
        }
    }

    private static void checkLists(String at, List<String> pin, List<String> exclude, Map<String, Integer> priorities) {
        for (String id : pin) {
            if (exclude.contains(id)) {
                throw new AdaptiveConfigException(at + "pin and exclude both name backend '" + id + "'");
            }
        }
        priorities.forEach((id, p) -> {
            if (p == null || p < 0) {
                throw new AdaptiveConfigException(at + "priorities." + id + " must be an integer >= 0, got " + p);
            }
        });
    }
}
