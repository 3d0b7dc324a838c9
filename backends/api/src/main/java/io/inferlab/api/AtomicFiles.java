package io.inferlab.api;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader sees either the previous content or the complete new one, never a
 * half-written file, even when the writing process is killed: write a temporary sibling (same
 * directory, so the rename stays on one file system), force it to disk, then rename it over the
 * target with {@code ATOMIC_MOVE} (rename(2) replaces the target atomically on POSIX).
 * <p>
 * Lives in the API module because both the result store (harness) and the report writers
 * (reports) use it and this is the one module both can depend on without pulling anything else.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Content producer: writes the whole content to {@code tmp}. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path tmp) throws IOException;
    }

    /** Writes {@code target} through {@code writer} atomically; returns {@code target}. */
    public static Path write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // A hidden name, so directory listings that skip dot files never pick up a leftover
        // temporary file of a killed writer.
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            writer.writeTo(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** Writes {@code content} as UTF-8 atomically. */
    public static Path writeString(Path target, String content) throws IOException {
        return write(target, tmp -> Files.writeString(tmp, content, StandardCharsets.UTF_8));
    }

    /** Writes {@code content} atomically. */
    public static Path writeBytes(Path target, byte[] content) throws IOException {
        return write(target, tmp -> Files.write(tmp, content));
    }
}
