package io.inferlab.api;

import java.nio.file.Path;
import java.util.Objects;

/** Where a model comes from. GGUF files today; other layouts (safetensors directories) later. */
public sealed interface ModelSource {

    Path path();

    static ModelSource gguf(Path path) {
        return new Gguf(path);
    }

    /** A single GGUF v3 file, memory-mapped by the backends that read it themselves. */
    record Gguf(Path path) implements ModelSource {
        public Gguf {
            Objects.requireNonNull(path, "path");
        }
    }
}
