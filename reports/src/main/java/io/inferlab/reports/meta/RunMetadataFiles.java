package io.inferlab.reports.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.core.JacksonException;

import io.inferlab.api.AtomicFiles;
import io.inferlab.reports.Json;
import io.inferlab.reports.ReportInputException;

/**
 * Where run metadata lives and how it is read and written. The metadata of {@code NAME.json} is
 * {@code NAME.meta.json} beside it when that exists (one folder may hold several results, as a CI
 * job's baseline and current files), otherwise the folder's {@code run-metadata.json} (the result
 * store keeps one run per folder: {@code jmh-result.json} and {@code run-metadata.json}).
 */
public final class RunMetadataFiles {
    public static final String SUFFIX = ".meta.json";
    /** The result store's per-folder metadata file. */
    public static final String STORE_FILE = "run-metadata.json";

    private RunMetadataFiles() {
    }

    /** The per-file metadata name for a JMH result file ({@code NAME.meta.json}). */
    public static Path siblingOf(Path resultFile) {
        String name = resultFile.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
        return resultFile.resolveSibling(stem + SUFFIX);
    }

    /** True for a metadata file name (so directory scans do not take it for a result). */
    public static boolean isMetadataFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(SUFFIX) || name.equals(STORE_FILE);
    }

    /** The metadata file of a result file, if one exists: {@code NAME.meta.json}, else {@code run-metadata.json}. */
    public static Optional<Path> find(Path resultFile) {
        Path own = siblingOf(resultFile);
        if (Files.isRegularFile(own)) {
            return Optional.of(own);
        }
        Path folder = resultFile.resolveSibling(STORE_FILE);
        return Files.isRegularFile(folder) ? Optional.of(folder) : Optional.empty();
    }

    /** The metadata of a result file, empty when there is none. */
    public static Optional<RunMetadata> readBeside(Path resultFile) {
        return find(resultFile).map(RunMetadataFiles::read);
    }

    /** Reads a metadata file; a missing or malformed file is a {@link ReportInputException}. */
    public static RunMetadata read(Path file) {
        try {
            RunMetadata m = Json.mapper().readValue(Files.readAllBytes(file), RunMetadata.class);
            if (m == null) {
                throw new ReportInputException(file, "empty run metadata");
            }
            return m;
        } catch (NoSuchFileException e) {
            throw new ReportInputException(file, "file not found", e);
        } catch (JacksonException e) {
            throw new ReportInputException(file, "malformed run metadata: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
        } catch (IOException e) {
            throw new ReportInputException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the metadata for a result file atomically: a temporary file in the same directory,
     * then a rename, so readers never see half a file.
     */
    public static Path writeBeside(Path resultFile, RunMetadata metadata) {
        return write(siblingOf(resultFile), metadata);
    }

    /** Writes a metadata file atomically (temporary file in the same directory, then a rename). */
    public static Path write(Path target, RunMetadata metadata) {
        try {
            return AtomicFiles.write(target, tmp -> Json.mapper().writeValue(tmp.toFile(), metadata));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run metadata " + target + ": " + e.getMessage(), e);
        }
    }
}
