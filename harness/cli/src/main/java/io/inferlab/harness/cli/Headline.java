package io.inferlab.harness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The few numbers a bench run is about, printed from its JMH JSON: tokens/s and suite latencies. */
final class Headline {
    private Headline() {
    }

    static void print(PrintWriter out, Path jmhJson) throws IOException {
        JsonNode runs = new ObjectMapper().readTree(jmhJson.toFile());
        out.printf("%-12s %-10s %-18s %12s %12s %12s %8s%n", "benchmark", "backend", "params", "tokens/s", "TTFT p50 ms",
                "ITL p50 ms", "success");
        for (JsonNode r : runs) {
            String bench = r.path("benchmark").asText().replaceAll(".*\\.(\\w+Bench)\\..*", "$1");
            JsonNode params = r.path("params");
            String detail = params.has("suite") ? params.path("suite").asText()
                    : params.has("promptTokens") ? "pp" + params.path("promptTokens").asText()
                    : params.has("genTokens") ? "tg" + params.path("genTokens").asText() : params.path("type").asText();
            JsonNode sec = r.path("secondaryMetrics");
            out.printf("%-12s %-10s %-18s %12s %12s %12s %8s%n", bench, params.path("backend").asText(), detail,
                    score(sec, params.has("suite") ? "output_tokens_per_s" : "tokens"),
                    score(sec, "ttft_p50_ms"), score(sec, "itl_p50_ms"), score(sec, "success_rate"));
        }
    }

    private static String score(JsonNode secondary, String name) {
        JsonNode m = secondary.path(name).path("score");
        return m.isMissingNode() ? "-" : "%.2f".formatted(m.asDouble());
    }
}
