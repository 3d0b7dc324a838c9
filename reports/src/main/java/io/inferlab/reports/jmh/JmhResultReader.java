package io.inferlab.reports.jmh;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;

import io.inferlab.reports.Json;
import io.inferlab.reports.ReportInputException;
import io.inferlab.reports.meta.RunMetadata;
import io.inferlab.reports.meta.RunMetadataFiles;

/**
 * Reads a JMH JSON result file into validated results. A file that is not a JMH result at all
 * (missing, truncated, not an array, empty) is a {@link ReportInputException} naming the file and
 * the problem; a bad entry inside a good file is skipped with a reason, so one odd benchmark never
 * costs the whole report.
 */
public final class JmhResultReader {
    /** Sample mode's secondary metrics {@code p0.00} ... {@code p1.00} repeat the primary percentiles. */
    private static final Pattern SAMPLE_PERCENTILE = Pattern.compile("p\\d+(\\.\\d+)?");

    public JmhRun read(Path file) {
        JsonNode root = parse(file);
        if (root == null || root.isMissingNode()) {
            throw new ReportInputException(file, "empty file, expected a JSON array of JMH results");
        }
        if (!root.isArray()) {
            throw new ReportInputException(file, "expected a JSON array of JMH results, found " + describe(root));
        }
        if (root.isEmpty()) {
            throw new ReportInputException(file, "no benchmark results (empty array)");
        }
        List<BenchmarkResult> results = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<BenchmarkKey> seen = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            String where = "entry " + (i + 1) + nameOf(node);
            try {
                BenchmarkResult r = toResult(node, where, notes);
                if (!seen.add(r.key())) {
                    skipped.add(where + ": duplicate of an earlier entry with the same benchmark, mode and params");
                } else {
                    results.add(r);
                }
            } catch (EntryException e) {
                skipped.add(where + ": " + e.getMessage());
            }
        }
        if (results.isEmpty()) {
            throw new ReportInputException(file, "no usable benchmark results: " + skipped.getFirst()
                    + (skipped.size() > 1 ? " (and " + (skipped.size() - 1) + " more)" : ""));
        }
        Optional<RunMetadata> metadata = Optional.empty();
        try {
            metadata = RunMetadataFiles.readBeside(file);
        } catch (ReportInputException e) {
            notes.add("run metadata ignored: " + e.getMessage());
        }
        return new JmhRun(file, results, skipped, notes, metadata);
    }

    private static JsonNode parse(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ReportInputException(file, "is a directory, expected a JMH JSON file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ReportInputException(file, "file not found", e);
        } catch (AccessDeniedException e) {
            throw new ReportInputException(file, "permission denied", e);
        } catch (IOException e) {
            throw new ReportInputException(file, "cannot read: " + e.getMessage(), e);
        }
        try {
            return Json.mapper().readTree(bytes);
        } catch (JsonEOFException e) {
            throw new ReportInputException(file, "truncated JSON: the file ends" + at(e.getLocation())
                    + " inside " + (e.getTokenBeingDecoded() == null ? "a value" : "an unfinished " + tokenName(e)), e);
        } catch (JacksonException e) {
            throw new ReportInputException(file, "malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ReportInputException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static String tokenName(JsonEOFException e) {
        return switch (e.getTokenBeingDecoded()) {
            case START_ARRAY -> "array";
            case START_OBJECT -> "object";
            case VALUE_STRING -> "string";
            default -> "value";
        };
    }

    private static String at(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String nameOf(JsonNode node) {
        JsonNode b = node == null ? null : node.get("benchmark");
        return b != null && b.isTextual() ? " (" + b.asText() + ")" : "";
    }

    private static BenchmarkResult toResult(JsonNode node, String where, List<String> notes) throws EntryException {
        if (node == null || !node.isObject()) {
            throw new EntryException("expected an object, found " + (node == null ? "nothing" : describe(node)));
        }
        JmhEntry e;
        try {
            e = Json.mapper().treeToValue(node, JmhEntry.class);
        } catch (JacksonException ex) {
            throw new EntryException("unexpected value: " + ex.getOriginalMessage().lines().findFirst().orElse("")
                    + pathOf(ex));
        }
        if (e.benchmark() == null || e.benchmark().isBlank()) {
            throw new EntryException("no \"benchmark\" name");
        }
        if (e.mode() == null) {
            throw new EntryException("no \"mode\"");
        }
        JmhMode mode = JmhMode.fromLabel(e.mode()).orElseThrow(() -> new EntryException(
                "unknown mode '" + e.mode() + "' (JMH writes thrpt, avgt, sample or ss)"));
        if (e.primaryMetric() == null) {
            throw new EntryException("no \"primaryMetric\"");
        }
        BenchmarkKey key = new BenchmarkKey(e.benchmark(), mode, new TreeMap<>(e.params() == null ? Map.of() : e.params()));
        Metric primary = toMetric(Metric.PRIMARY, e.primaryMetric(), where, notes);
        if (!primary.hasSamples()) {
            notes.add(where + ": no rawData: shown with JMH's score only, not tested or compared");
        }
        List<Metric> secondaries = new ArrayList<>();
        if (e.secondaryMetrics() != null) {
            for (var s : new TreeMap<>(e.secondaryMetrics()).entrySet()) {
                if (mode == JmhMode.SAMPLE_TIME && SAMPLE_PERCENTILE.matcher(s.getKey()).matches()) {
                    continue;
                }
                if (s.getValue() == null) {
                    notes.add(where + ": secondary metric '" + s.getKey() + "' is null (ignored)");
                    continue;
                }
                try {
                    secondaries.add(toMetric(s.getKey(), s.getValue(), where, notes));
                } catch (EntryException ex) {
                    notes.add(where + ": secondary metric '" + s.getKey() + "' ignored: " + ex.getMessage());
                }
            }
        }
        return new BenchmarkResult(key, orZero(e.threads()), orZero(e.forks()), orZero(e.warmupIterations()),
                orZero(e.measurementIterations()), primary, secondaries,
                new JvmInfo(e.jmhVersion(), e.jvm(), e.jdkVersion(), e.vmName(), e.vmVersion(), e.jvmArgs()));
    }

    private static String pathOf(JacksonException ex) {
        if (ex instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder s = new StringBuilder(" at ");
            for (var ref : m.getPath()) {
                s.append(ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
            }
            return s.toString().replace(" at .", " at ");
        }
        return "";
    }

    private static int orZero(Integer v) {
        return v == null ? 0 : v;
    }

    private static Metric toMetric(String name, JmhMetric m, String where, List<String> notes) throws EntryException {
        if (m.score() == null) {
            throw new EntryException(name + " metric has no \"score\"");
        }
        if (m.score().isNaN()) {
            throw new EntryException(name + " score is NaN");
        }
        TreeMap<Double, Double> percentiles = new TreeMap<>();
        if (m.scorePercentiles() != null) {
            for (var p : m.scorePercentiles().entrySet()) {
                try {
                    if (p.getValue() != null) {
                        percentiles.put(Double.parseDouble(p.getKey()), p.getValue());
                    }
                } catch (NumberFormatException ex) {
                    throw new EntryException(name + " metric has a percentile key that is not a number: '" + p.getKey() + "'");
                }
            }
        }
        double[] samples;
        String source;
        int forks;
        if (m.rawData() != null && !m.rawData().isEmpty()) {
            samples = flatten(m.rawData(), name, where, notes);
            source = "rawData";
            forks = m.rawData().size();
        } else if (m.rawDataHistogram() != null && !m.rawDataHistogram().isEmpty()) {
            samples = iterationMeans(m.rawDataHistogram(), name);
            source = "rawDataHistogram";
            forks = m.rawDataHistogram().size();
        } else {
            samples = new double[0];
            source = "none";
            forks = 0;
        }
        return new Metric(name, m.score(), m.scoreError() == null ? Double.NaN : m.scoreError(), m.scoreUnit(), percentiles,
                samples, forks, source);
    }

    private static double[] flatten(List<List<Double>> rawData, String name, String where, List<String> notes) throws EntryException {
        List<Double> values = new ArrayList<>();
        int dropped = 0;
        for (List<Double> fork : rawData) {
            if (fork == null) {
                throw new EntryException(name + " rawData has a null fork");
            }
            for (Double v : fork) {
                if (v == null || !Double.isFinite(v)) {
                    dropped++;
                } else {
                    values.add(v);
                }
            }
        }
        if (dropped > 0) {
            notes.add(where + ": " + dropped + " non-finite " + name + " rawData value(s) dropped");
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Sample mode keeps every sampled time in a histogram per iteration; the iteration's score is
     * the count-weighted mean, which is what JMH reports per iteration in its console output.
     */
    private static double[] iterationMeans(List<List<List<List<Double>>>> histogram, String name) throws EntryException {
        List<Double> means = new ArrayList<>();
        for (var fork : histogram) {
            if (fork == null) {
                throw new EntryException(name + " rawDataHistogram has a null fork");
            }
            for (var iteration : fork) {
                double sum = 0;
                double count = 0;
                for (List<Double> pair : iteration == null ? List.<List<Double>>of() : iteration) {
                    if (pair == null || pair.size() != 2 || pair.get(0) == null || pair.get(1) == null || pair.get(1) < 0) {
                        throw new EntryException(name + " rawDataHistogram holds " + pair + ", expected [value, count]");
                    }
                    sum += pair.get(0) * pair.get(1);
                    count += pair.get(1);
                }
                if (count > 0 && Double.isFinite(sum)) {
                    means.add(sum / count);
                }
            }
        }
        return means.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A problem with one entry: it is skipped, the rest of the file is used. */
    private static final class EntryException extends Exception {
        private static final long serialVersionUID = 1L;

        EntryException(String message) {
            super(message, null, false, false);
        }
    }
}
