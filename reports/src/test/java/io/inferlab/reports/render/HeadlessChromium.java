package io.inferlab.reports.render;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders a page in Debian's headless Chromium and reports how many of its images loaded. A small
 * script, added to a copy of the page, marks the body on the window's load event (after every
 * image has loaded or failed) with the number of images and of those with a natural width; then
 * {@code --dump-dom} prints the DOM, and the marks are read from it. Bounded in time: the browser
 * is killed after {@link #TIMEOUT_SECONDS}.
 */
final class HeadlessChromium {
    static final long TIMEOUT_SECONDS = 90;
    private static final String PROBE = "<script>window.addEventListener('load',function(){var im=document.images,ok=0;"
            + "for(var i=0;i<im.length;i++){if(im[i].complete&&im[i].naturalWidth>0)ok++;}"
            + "document.body.setAttribute('data-images-total',im.length);document.body.setAttribute('data-images-loaded',ok);});</script>";
    private static final Pattern MARKS = Pattern.compile("data-images-total=\"(\\d+)\" data-images-loaded=\"(\\d+)\"");

    record ImageCount(int total, int loaded) {
    }

    private HeadlessChromium() {
    }

    /** The Chromium executable on the PATH, if any. */
    static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).flatMap(d -> Stream.of("chromium", "chromium-browser", "google-chrome")
                .map(n -> Path.of(d, n))).filter(Files::isExecutable).findFirst();
    }

    static ImageCount loadImages(Path chromium, Path page, Path workDir) throws IOException, InterruptedException {
        Path probe = page.resolveSibling("probe-" + page.getFileName());
        String html = Files.readString(page, StandardCharsets.UTF_8);
        Files.writeString(probe, html.replace("</body>", PROBE + "</body>"), StandardCharsets.UTF_8);
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        Path stdout = workDir.resolve("dom-" + page.getFileName());
        Path stderr = workDir.resolve("chromium-" + page.getFileName() + ".log");
        List<String> command = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom", probe.toUri().toString());
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s rendering " + page);
        }
        String dom = Files.readString(stdout, StandardCharsets.UTF_8);
        Matcher m = MARKS.matcher(dom);
        if (!m.find()) {
            throw new AssertionError("chromium (exit " + p.exitValue() + ") printed no marked DOM for " + page + "; stderr: "
                    + Files.readString(stderr).lines().reduce((a, b) -> b).orElse(""));
        }
        return new ImageCount(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
}
