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
 * The stored runs of a result store directory, oldest first. The store holds JMH JSON files,
 * directly or one directory per run, each with its run metadata beside it; runs are ordered by
 * the metadata's time (file modification time when a run has none). Files that cannot be read
 * are skipped with the reason.
 */
public record RunHistory(Path dir, List<HistoricalRun> runs, List<String> skipped) {
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
                    .sorted().toList();
        } catch (IOException e) {
            throw new ReportInputException(dir, "cannot list the history directory: " + e.getMessage(), e);
        }
        List<HistoricalRun> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path file : files) {
            try {
                JmhRun run = reader.read(file);
                String rel = dir.relativize(file).toString().replace('\\', '/');
                String id = rel.endsWith(".json") ? rel.substring(0, rel.length() - 5) : rel;
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
}
