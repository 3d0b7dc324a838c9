package io.inferlab.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The real JMH 1.37 result files under {@code src/test/resources/jmh} (see the README there for
 * how they were produced) and helpers to derive broken or edited variants from them.
 */
public final class JmhFixtures {
    /** Every mode, @Param params, @AuxCounters secondary metrics, "NaN" strings. */
    public static final String BASELINE = "jmh/baseline.json";
    /** The same benchmarks re-run with the OPENCL backend's work and the latency work made 1.5x larger. */
    public static final String CURRENT_OPENCL_SLOWER = "jmh/current-opencl-slower.json";

    private JmhFixtures() {
    }

    public static String text(String resource) {
        try (InputStream in = JmhFixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource not found: " + resource);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a fixture into a directory and returns its path there. */
    public static Path copy(String resource, Path dir) {
        return write(dir.resolve(Path.of(resource).getFileName().toString()), text(resource));
    }

    public static ArrayNode tree(String resource) {
        try {
            return (ArrayNode) Json.mapper().readTree(text(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entry with this benchmark method (simple name) and param value, from a tree. */
    public static ObjectNode entry(ArrayNode run, String method, String paramValue) {
        for (var node : run) {
            boolean paramMatches = paramValue == null;
            if (!paramMatches && node.has("params")) {
                for (var v : node.get("params")) {
                    paramMatches |= v.asText().equals(paramValue);
                }
            }
            if (node.get("benchmark").asText().endsWith("." + method) && paramMatches) {
                return (ObjectNode) node;
            }
        }
        throw new IllegalArgumentException("no entry " + method + " " + paramValue);
    }

    public static Path write(Path file, ArrayNode run) {
        try {
            return write(file, Json.mapper().writeValueAsString(run));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
