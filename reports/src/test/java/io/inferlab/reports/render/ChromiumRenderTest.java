package io.inferlab.reports.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.reports.JmhFixtures;
import io.inferlab.reports.Scenarios;
import io.inferlab.reports.ReportGenerator;
import io.inferlab.reports.ReportOptions;
import io.inferlab.reports.ReportOutcome;
import io.inferlab.reports.meta.RunMetadataFiles;

/**
 * The HTML report opens in a real browser with every chart loaded. Needs Debian's
 * {@code chromium} (installed by {@code .ci/run}); skipped with a message where it is absent.
 */
class ChromiumRenderTest {
    @TempDir
    Path dir;

    @Test
    void everyImageOfAFullReportLoadsInHeadlessChromium() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        Assumptions.assumeTrue(chromium.isPresent(),
                "chromium not installed (apt-get install chromium; .ci/run does): skipping the browser rendering test");

        Path current = JmhFixtures.copy(JmhFixtures.CURRENT_OPENCL_SLOWER, dir.resolve("in"));
        RunMetadataFiles.writeBeside(current, Scenarios.rooflineMetadata(20e9, 10_000));
        ReportOutcome o = new ReportGenerator().generate(ReportOptions.of(current, dir.resolve("report"))
                .withBaseline(JmhFixtures.copy(JmhFixtures.BASELINE, dir.resolve("in")))
                .withHistory(Scenarios.store(dir.resolve("store"), 6)));
        int charts = o.report().charts().size();
        assertTrue(charts >= 5, "a report with every kind of chart: " + charts);

        HeadlessChromium.ImageCount count = HeadlessChromium.loadImages(chromium.get(), o.html(), dir);
        assertEquals(charts, count.total(), "images in the page");
        assertEquals(charts, count.loaded(), "images the browser decoded");

        // The probe itself must be able to see a broken image, or the check above means nothing.
        Path broken = dir.resolve("report/broken.html");
        String html = Files.readString(o.html());
        int at = html.indexOf("data:image/png;base64,") + "data:image/png;base64,".length();
        Files.writeString(broken, html.substring(0, at) + "AAAA" + html.substring(at + 400));
        HeadlessChromium.ImageCount brokenCount = HeadlessChromium.loadImages(chromium.get(), broken, dir);
        assertEquals(charts, brokenCount.total());
        assertEquals(charts - 1, brokenCount.loaded());
    }
}
