package io.inferlab.cuda.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The check's report: the device, every conformance result, the benchmark rows, and the verdict.
 * Written as report.json (Jackson) and report.md, each atomically (temp file + rename).
 *
 * @param device      null when no CUDA device was found
 * @param unavailable why there is no device ("" when there is one)
 */
public record CheckReport(String time, String host, DeviceSummary device, String unavailable,
                          List<CheckResult> results, List<BenchRow> benchmark, List<String> notes, double elapsedSeconds) {

    public CheckReport {
        results = List.copyOf(results);
        benchmark = List.copyOf(benchmark);
        notes = List.copyOf(notes);
    }

    /** Whether a device was found and every conformance check passed. */
    @JsonProperty("passed")
    public boolean passed() {
        return device != null && !results.isEmpty() && results.stream().allMatch(CheckResult::passed);
    }

    @JsonProperty("failures")
    public long failures() {
        return results.stream().filter(r -> !r.passed()).count();
    }

    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            atomicWrite(dir.resolve("report.json"), json.writeValueAsString(this));
            atomicWrite(dir.resolve("report.md"), markdown());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void atomicWrite(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# InferLab CUDA check\n\n");
        md.append("- time: ").append(time).append('\n');
        md.append("- host: ").append(host).append('\n');
        md.append("- device: ").append(device == null ? "none (" + unavailable + ")" : device.oneLine()).append('\n');
        md.append(String.format(Locale.ROOT, "- verdict: **%s** (%d checks, %d failed), %.1f s%n%n",
                passed() ? "PASS" : "FAIL", results.size(), failures(), elapsedSeconds));
        if (!notes.isEmpty()) {
            md.append("## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
            md.append('\n');
        }
        md.append("## Conformance\n\n| group | check | result | max error | tolerance | detail |\n|---|---|---|---|---|---|\n");
        for (CheckResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", r.group(), r.name(),
                    r.passed() ? "pass" : "**FAIL**", num(r.maxError()), num(r.tolerance()),
                    r.detail().replace("|", "\\|").replace("\n", " ")));
        }
        if (!benchmark.isEmpty()) {
            md.append("\n## Benchmark (pp128 prefill, tg64 decode; tokens/s)\n\n")
                    .append("| backend | model | type | pp128 | tg64 | tg64 (device argmax) | MiB/token | bandwidth used |\n")
                    .append("|---|---|---|---|---|---|---|---|\n");
            for (BenchRow b : benchmark) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %s | %.1f | %s |%n", b.backend(),
                        b.model(), b.weightType(), b.pp128TokensPerSecond(), b.tg64TokensPerSecond(),
                        Double.isNaN(b.tg64ArgmaxTokensPerSecond()) ? "-" : String.format(Locale.ROOT, "%.1f",
                                b.tg64ArgmaxTokensPerSecond()),
                        b.bytesPerToken() / 1048576.0, Double.isNaN(b.bandwidthFraction()) ? "-"
                                : String.format(Locale.ROOT, "%.1f%%", 100 * b.bandwidthFraction())));
            }
            md.append('\n');
            benchmark.stream().map(BenchRow::computeMode).distinct()
                    .forEach(m -> md.append("- compute mode: ").append(m).append('\n'));
        }
        return md.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3g", v);
    }
}
