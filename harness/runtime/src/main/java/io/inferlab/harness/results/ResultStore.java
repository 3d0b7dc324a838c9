package io.inferlab.harness.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The result store: a directory of runs, one folder each ({@code <UTC time>-<profile>/}) holding
 * {@code jmh-result.json} and {@code run-metadata.json}. Default location
 * {@code ~/.inferlab/results}; {@code INFERLAB_HOME} moves it to {@code $INFERLAB_HOME/results}.
 * A run appears all at once: it is assembled in a hidden temporary folder and renamed into place,
 * so readers never see a partial run; folders missing either file are skipped with a logged reason.
 */
public final class ResultStore {
    public static final String RESULT_FILE = "jmh-result.json";
    public static final String METADATA_FILE = "run-metadata.json";
    private static final Logger LOG = LoggerFactory.getLogger(ResultStore.class);
    private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper();

    /** One stored run. */
    public record StoredRun(Path dir, Path result, RunMetadata metadata) {
    }

    private final Path root;

    public ResultStore(Path root) {
        this.root = root;
    }

    public static ResultStore standard() {
        String home = System.getenv("INFERLAB_HOME");
        Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".inferlab");
        return new ResultStore(base.resolve("results"));
    }

    public Path root() {
        return root;
    }

    /** Copies a finished run's two files into the store; returns the run's folder. */
    public Path save(Path jmhResult, RunMetadata metadata, Instant time) throws IOException {
        Files.createDirectories(root);
        String name = FOLDER_TIME.format(time) + "-" + metadata.profile();
        Path target = root.resolve(name);
        for (int i = 2; Files.exists(target); i++) {
            target = root.resolve(name + "-" + i);
        }
        Path tmp = Files.createTempDirectory(root, ".incoming-");
        try {
            Files.copy(jmhResult, tmp.resolve(RESULT_FILE), StandardCopyOption.REPLACE_EXISTING);
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(METADATA_FILE).toFile(), metadata);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp)) {
                try (Stream<Path> files = Files.list(tmp)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(tmp);
            }
        }
        return target;
    }

    /** Every complete run, newest first; damaged ones are skipped with a logged reason. */
    public List<StoredRun> runs() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<StoredRun> runs = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).toList()) {
                read(dir).ifPresent(runs::add);
            }
        } catch (IOException e) {
            LOG.warn("cannot list the result store {}: {}", root, e.getMessage());
        }
        runs.sort(Comparator.comparing((StoredRun r) -> r.metadata().time()).reversed());
        return runs;
    }

    /** Reads one run folder, or says in the log why it is not usable. */
    public static Optional<StoredRun> read(Path dir) {
        Path result = dir.resolve(RESULT_FILE);
        Path meta = dir.resolve(METADATA_FILE);
        if (!Files.isRegularFile(result) || !Files.isRegularFile(meta)) {
            LOG.info("skipping stored run {}: {} or {} is missing", dir, RESULT_FILE, METADATA_FILE);
            return Optional.empty();
        }
        try {
            RunMetadata m = JSON.readValue(meta.toFile(), RunMetadata.class);
            if (m == null) {
                // A file holding the JSON literal null (fuzzing finding, docs/fuzzing.md): Jackson
                // returns null rather than failing, and the selector would die on it.
                LOG.info("skipping stored run {}: {} is null", dir, METADATA_FILE);
                return Optional.empty();
            }
            if (m.time() == null || m.host() == null) {
                LOG.info("skipping stored run {}: metadata lacks time or host", dir);
                return Optional.empty();
            }
            JSON.readTree(result.toFile()); // a truncated result file is as good as none
            return Optional.of(new StoredRun(dir, result, m));
        } catch (IOException e) {
            LOG.info("skipping stored run {}: {}", dir, e.getMessage());
            return Optional.empty();
        }
    }
}
