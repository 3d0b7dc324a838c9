package io.inferlab.reports.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import com.fasterxml.jackson.core.JacksonException;

import io.inferlab.reports.Json;
import io.inferlab.reports.ReportInputException;

/**
 * Where run metadata lives and how it is read and written. The metadata of {@code NAME.json} is
 * {@code NAME.meta.json} in the same directory, so a result file and its metadata travel together
 * and a directory of runs (the result store) needs no index.
 */
public final class RunMetadataFiles {
    public static final String SUFFIX = ".meta.json";

    private RunMetadataFiles() {
    }

    /** The metadata file that belongs beside a JMH result file. */
    public static Path siblingOf(Path resultFile) {
        String name = resultFile.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
        return resultFile.resolveSibling(stem + SUFFIX);
    }

    /** True for a metadata file name (so directory scans do not take it for a result). */
    public static boolean isMetadataFile(Path file) {
        return file.getFileName().toString().endsWith(SUFFIX);
    }

    /** The metadata beside a result file, empty when there is none. */
    public static Optional<RunMetadata> readBeside(Path resultFile) {
        Path meta = siblingOf(resultFile);
        return Files.isRegularFile(meta) ? Optional.of(read(meta)) : Optional.empty();
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
        Path target = siblingOf(resultFile);
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".meta-", ".tmp");
            try {
                Json.mapper().writeValue(tmp.toFile(), metadata);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run metadata " + target + ": " + e.getMessage(), e);
        }
    }
}
