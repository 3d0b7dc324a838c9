package io.inferlab.reports.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.inferlab.reports.ReportInputException;
import io.inferlab.reports.jmh.JmhResultReader;
import io.inferlab.reports.jmh.JmhRun;
import io.inferlab.reports.meta.RunMetadata;
import io.inferlab.reports.meta.RunMetadataFiles;

/**
 * The stored runs of a result store directory, oldest first. The store keeps one folder per run
 * ({@code <time>-<profile>/jmh-result.json} with {@code run-metadata.json}); loose JMH JSON files
 * (with {@code NAME.meta.json}) work too. Runs are ordered by the metadata's time (the file's
 * modification time when a run has none). Hidden folders (a run still being stored) are ignored;
 * files that cannot be read are skipped with the reason.
 */
public record RunHistory(Path dir, List<HistoricalRun> runs, List<String> skipped) {
    /** The result store's name for a run's JMH result inside its folder. */
    public static final String STORE_RESULT_FILE = "jmh-result.json";
    /** How deep below the store directory result files are looked for. */
    private static final int MAX_DEPTH = 3;

    public RunHistory {
        runs = List.copyOf(runs);
        skipped = List.copyOf(skipped);
    }

    public static RunHistory load(Path dir, JmhResultReader reader) {
        if (!Files.isDirectory(dir)) {
            throw new ReportInputException(dir, Files.exists(dir) ? "not a directory (--history takes the result store directory)"
                    : "history directory not found");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir, MAX_DEPTH)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".json") && !RunMetadataFiles.isMetadataFile(p))
                    .filter(p -> !hidden(dir.relativize(p)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new ReportInputException(dir, "cannot list the history directory: " + e.getMessage(), e);
        }
        List<HistoricalRun> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path file : files) {
            try {
                JmhRun run = reader.read(file);
                String id = runId(dir.relativize(file));
                Instant time = run.metadata().map(m -> m.time().toInstant()).orElse(Files.getLastModifiedTime(file).toInstant());
                runs.add(new HistoricalRun(id, time, run.metadata().map(RunMetadata::gitCommit).orElse(null), run));
            } catch (ReportInputException e) {
                skipped.add(e.getMessage());
            } catch (IOException e) {
                skipped.add(file + ": cannot read its modification time: " + e.getMessage());
            }
        }
        runs.sort(Comparator.comparing(HistoricalRun::time).thenComparing(HistoricalRun::id));
        return new RunHistory(dir, runs, skipped);
    }

    /** Folders the store is still assembling ({@code .incoming-*}) and other hidden entries. */
    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A run's name: its folder for the store's {@code DIR/jmh-result.json}, otherwise the path
     * without {@code .json}.
     */
    private static String runId(Path relative) {
        String rel = relative.toString().replace('\\', '/');
        String storeSuffix = "/" + STORE_RESULT_FILE;
        if (rel.endsWith(storeSuffix)) {
            return rel.substring(0, rel.length() - storeSuffix.length());
        }
        return rel.endsWith(".json") ? rel.substring(0, rel.length() - ".json".length()) : rel;
    }
}
