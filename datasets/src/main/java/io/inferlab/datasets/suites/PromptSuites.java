package io.inferlab.datasets.suites;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Loads prompt suites: the four built-in ones (resources next to this class) or a user's file.
 * The JSON is read as a tree and validated field by field, so every error names the file and the
 * field (and rejects unknown fields, which are usually typos).
 */
public final class PromptSuites {
    public static final List<String> BUILT_IN = List.of("quick_qa", "reasoning_tasks", "code_generation", "creative_writing");
    private static final Set<String> FIELDS = Set.of("name", "description", "repetitions", "min_new_tokens",
            "timeout_seconds", "slo", "prompts");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PromptSuites() {
    }

    /** A built-in suite by name, or a suite file when {@code nameOrPath} is not a built-in name. */
    public static PromptSuite resolve(String nameOrPath) {
        return BUILT_IN.contains(nameOrPath) ? builtIn(nameOrPath) : load(Path.of(nameOrPath));
    }

    public static PromptSuite builtIn(String name) {
        if (!BUILT_IN.contains(name)) {
            throw new SuiteFormatException(name, "", "is not a built-in suite (known: " + String.join(", ", BUILT_IN) + ")");
        }
        try (InputStream in = PromptSuites.class.getResourceAsStream(name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("built-in suite resource " + name + ".json is missing from the jar");
            }
            return parse(name + ".json", in.readAllBytes());
        } catch (IOException e) {
            throw new SuiteFormatException(name + ".json", "", "cannot be read: " + e.getMessage());
        }
    }

    public static List<PromptSuite> allBuiltIn() {
        return BUILT_IN.stream().map(PromptSuites::builtIn).toList();
    }

    public static PromptSuite load(Path file) {
        try {
            return parse(file.toString(), Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new SuiteFormatException(file.toString(), "", "not found");
        } catch (IOException e) {
            throw new SuiteFormatException(file.toString(), "", "cannot be read: " + e.getMessage());
        }
    }

    /** Parses and validates suite JSON; {@code source} names it in errors. */
    public static PromptSuite parse(String source, byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new SuiteFormatException(source, "", "is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : ""));
        } catch (IOException e) {
            throw new SuiteFormatException(source, "", "cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SuiteFormatException(source, "", "must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new SuiteFormatException(source, f, "is not a suite field (known: " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
            }
        }
        Fields f = new Fields(source, root);
        String name = f.text("name");
        int repetitions = f.positiveInt("repetitions");
        int minNew = f.positiveInt("min_new_tokens");
        int timeout = f.positiveInt("timeout_seconds");
        JsonNode slo = f.object("slo");
        Fields s = new Fields(source, slo, "slo.");
        PromptSuite.Slo limits = new PromptSuite.Slo(s.positiveNumber("ttft_ms"), s.positiveNumber("tpot_ms"));
        JsonNode prompts = root.get("prompts");
        if (prompts == null || !prompts.isArray()) {
            throw new SuiteFormatException(source, "prompts", "must be an array of {id, text}");
        }
        if (prompts.isEmpty()) {
            throw new SuiteFormatException(source, "prompts", "is empty: a suite needs at least one prompt");
        }
        List<PromptSuite.Prompt> list = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < prompts.size(); i++) {
            if (!prompts.get(i).isObject()) {
                throw new SuiteFormatException(source, "prompts[" + i + "]", "must be an object {id, text}");
            }
            Fields p = new Fields(source, prompts.get(i), "prompts[" + i + "].");
            String id = p.text("id");
            if (!ids.add(id)) {
                throw new SuiteFormatException(source, "prompts[" + i + "].id", "'" + id + "' is used twice");
            }
            list.add(new PromptSuite.Prompt(id, p.text("text")));
        }
        String description = root.hasNonNull("description") ? root.get("description").asText() : "";
        return new PromptSuite(name, description, repetitions, minNew, Duration.ofSeconds(timeout), limits, list);
    }

    /** Typed access to one object's fields, with the field's full path in errors. */
    private record Fields(String source, JsonNode node, String prefix) {
        Fields(String source, JsonNode node) {
            this(source, node, "");
        }

        String text(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw new SuiteFormatException(source, prefix + name, "is missing");
            }
            if (!v.isTextual() || v.asText().isBlank()) {
                throw new SuiteFormatException(source, prefix + name, "must be a non-empty string");
            }
            return v.asText();
        }

        int positiveInt(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw new SuiteFormatException(source, prefix + name, "is missing");
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
                throw new SuiteFormatException(source, prefix + name, "must be an integer >= 1, got " + v);
            }
            return v.asInt();
        }

        double positiveNumber(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw new SuiteFormatException(source, prefix + name, "is missing");
            }
            if (!v.isNumber() || !(v.asDouble() > 0) || Double.isInfinite(v.asDouble())) {
                throw new SuiteFormatException(source, prefix + name, "must be a number > 0, got " + v);
            }
            return v.asDouble();
        }

        JsonNode object(String name) {
            JsonNode v = node.get(name);
            if (v == null || !v.isObject()) {
                throw new SuiteFormatException(source, prefix + name, v == null ? "is missing" : "must be an object");
            }
            return v;
        }
    }
}
