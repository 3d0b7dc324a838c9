package io.inferlab.reports.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.inferlab.reports.JmhFixtures;
import io.inferlab.reports.Report;
import io.inferlab.reports.ReportGenerator;
import io.inferlab.reports.ReportOptions;
import io.inferlab.reports.chart.PngAssert;

class HtmlReportTest {
    @TempDir
    Path dir;

    @Test
    void isSelfContainedWithEveryChartEmbeddedAsAPng() {
        Report r = new ReportGenerator().build(ReportOptions.of(JmhFixtures.copy(JmhFixtures.BASELINE, dir), dir.resolve("out")));
        String html = HtmlReport.render(r);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<link") || html.contains("<script"),
                "no external resource or script");
        Matcher m = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" alt=\"([^\"]+)\"").matcher(html);
        int images = 0;
        while (m.find()) {
            PngAssert.assertRealChart(Base64.getDecoder().decode(m.group(1)));
            images++;
        }
        assertEquals(r.charts().size(), images);
        assertTrue(html.contains("No baseline given: no regression gate."));
        assertTrue(html.contains("<th>95% CI (bootstrap)</th>") && html.contains("Secondary metrics") && html.contains("bytesRead"));
    }

    @Test
    void textFromTheInputIsEscaped() {
        ArrayNode run = JmhFixtures.tree(JmhFixtures.BASELINE);
        ((ObjectNode) JmhFixtures.entry(run, "coldStart", null).get("params")).put("backend", "<img src=x onerror=alert(1)>");
        Path in = JmhFixtures.write(dir.resolve("evil.json"), run);
        String html = HtmlReport.render(new ReportGenerator().build(ReportOptions.of(in, dir.resolve("out"))));
        assertFalse(html.contains("<img src=x"));
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }
}
