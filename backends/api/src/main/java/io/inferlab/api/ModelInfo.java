package io.inferlab.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a backend loaded.
 *
 * @param tensorTypes  GGML type name (e.g. "Q8_0") to the number of tensors of that type
 * @param weightBytes  bytes of weight data in the file (what decode streams per token, roughly)
 */
public record ModelInfo(Path path, String architecture, String name, long parameterCount,
                        Map<String, Integer> tensorTypes, long weightBytes, int contextLength,
                        int vocabularySize) {
    public ModelInfo {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(architecture, "architecture");
        name = name == null ? "" : name;
        tensorTypes = Map.copyOf(tensorTypes);
    }
}
