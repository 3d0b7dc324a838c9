package io.inferlab.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One scratch file per fuzz target and JVM, on /dev/shm (memory) when writable, else the temp dir. */
public final class FuzzFiles {
    private FuzzFiles() {
    }

    public static Path file(String name) {
        try {
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "inferlab-fuzz-") : Files.createTempDirectory("inferlab-fuzz-");
            dir.toFile().deleteOnExit();
            Path f = dir.resolve(name);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
