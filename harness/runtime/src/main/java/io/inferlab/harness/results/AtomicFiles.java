package io.inferlab.harness.results;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes files so that a reader sees either the previous content or the complete new one, never a
 * half-written file. Delegates to {@link io.inferlab.api.AtomicFiles}, which the report writers
 * share; kept so the harness's callers read as before.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Content producer for {@link #write}. */
    @FunctionalInterface
    public interface Writer extends io.inferlab.api.AtomicFiles.Writer {
    }

    public static void write(Path target, Writer writer) throws IOException {
        io.inferlab.api.AtomicFiles.write(target, writer);
    }

    public static void writeString(Path target, String content) throws IOException {
        io.inferlab.api.AtomicFiles.writeString(target, content);
    }
}
